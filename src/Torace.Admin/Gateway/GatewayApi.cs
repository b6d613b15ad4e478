using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Tenancy;

namespace Torace.Admin.Gateway;

/// <summary>What the gateway answered when it was not a success: its status, the ProblemDetails' detail and each field's errors.</summary>
public sealed class GatewayProblem(HttpStatusCode status, string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The detail and every field's error, in the words the API gave them.</summary>
    public string Explained => Errors.Count == 0 ? Message : Message + " " + string.Join(" ", Errors.SelectMany(e => e.Value));
}

/// <summary>
/// The public API as the signed-in coordinator: every call carries a two-minute coordinator token for the user of this
/// page's circuit, so the gateway and the services see the coordinator (their district, user id and role), never a
/// district-wide key. The admin app has no other way into the system.
/// </summary>
public sealed class GatewayApi(HttpClient http, AuthenticationStateProvider authentication, CoordinatorSigningKey key, TimeProvider clock)
{

    public Task<Page<ProgramItem>> Programs(string? status, int limit, CancellationToken ct) =>
        Send<Page<ProgramItem>>(HttpMethod.Get, $"/api/v1/programs?limit={limit}" + (status is null ? "" : $"&status={Uri.EscapeDataString(status)}"), null, ct);

    public Task<ProgramItem> Program(Guid id, CancellationToken ct) => Send<ProgramItem>(HttpMethod.Get, $"/api/v1/programs/{id}", null, ct);

    /// <summary>A program with its ETag, for an edit that must not overwrite someone else's.</summary>
    public Task<Versioned<ProgramItem>> ProgramToEdit(Guid id, CancellationToken ct) => SendVersioned<ProgramItem>(HttpMethod.Get, $"/api/v1/programs/{id}", null, ct);

    /// <summary>Replaces a draft's definition; 412 when <paramref name="etag"/> is no longer its version, 409 when it is no longer a draft.</summary>
    public Task<Versioned<ProgramItem>> EditProgram(Guid id, object request, string etag, CancellationToken ct) =>
        SendVersioned<ProgramItem>(HttpMethod.Put, $"/api/v1/programs/{id}", request, ct, ifMatch: etag);

    public Task<ProgramItem> CloseEnrolment(Guid id, CancellationToken ct) => Send<ProgramItem>(HttpMethod.Post, $"/api/v1/programs/{id}/close", null, ct);

    /// <summary>Ends the program's matches and engagements; the matched participants are emailed <paramref name="reason"/>.</summary>
    public Task<ProgramItem> CancelProgram(Guid id, string reason, CancellationToken ct) =>
        Send<ProgramItem>(HttpMethod.Post, $"/api/v1/programs/{id}/cancel", new { reason }, ct);

    /// <summary>The built-in templates, each with the district's guide link for its format.</summary>
    public Task<Page<ProgramTemplateItem>> Templates(CancellationToken ct) =>
        Send<Page<ProgramTemplateItem>>(HttpMethod.Get, "/api/v1/program-templates?limit=100", null, ct);

    public Task<GuidesItem> Guides(CancellationToken ct) => Send<GuidesItem>(HttpMethod.Get, "/api/v1/settings/guides", null, ct);

    public Task<GuidesItem> SetGuides(GuidesItem guides, CancellationToken ct) => Send<GuidesItem>(HttpMethod.Put, "/api/v1/settings/guides", guides, ct);

    public Task<BrandingItem> Branding(CancellationToken ct) => Send<BrandingItem>(HttpMethod.Get, "/api/v1/settings/branding", null, ct);

    public Task<BrandingItem> SetBranding(BrandingItem brand, CancellationToken ct) => Send<BrandingItem>(HttpMethod.Put, "/api/v1/settings/branding", brand, ct);

    /// <summary>Every kind of email with the district's wording in force.</summary>
    public Task<IReadOnlyList<EmailTemplateItem>> EmailTemplates(CancellationToken ct) =>
        Send<IReadOnlyList<EmailTemplateItem>>(HttpMethod.Get, "/api/v1/settings/email-templates", null, ct);

    public Task<EmailTemplateItem> SetEmailTemplate(string kind, EmailTemplateBodyItem template, CancellationToken ct) =>
        Send<EmailTemplateItem>(HttpMethod.Put, $"/api/v1/settings/email-templates/{Uri.EscapeDataString(kind)}", template, ct);

    /// <summary>Drops the district's wording of a kind: Torace's applies again.</summary>
    public Task ResetEmailTemplate(string kind, CancellationToken ct) =>
        Send<object>(HttpMethod.Delete, $"/api/v1/settings/email-templates/{Uri.EscapeDataString(kind)}", null, ct);

    /// <summary>
    /// The email a draft gives (its parts left null: the wording in force) with sample data, as it would go out, the
    /// kind's values in <paramref name="sample"/> shown instead of made-up ones, in the wording of the district or of one
    /// program (<paramref name="programId"/>); writes nothing.
    /// </summary>
    public Task<EmailPreviewItem> PreviewEmailTemplate(string kind, EmailTemplateBodyItem draft, IReadOnlyDictionary<string, object?>? sample, CancellationToken ct,
        Guid? programId = null) =>
        Send<EmailPreviewItem>(HttpMethod.Post,
            $"/api/v1/{(programId is { } id ? $"programs/{id}" : "settings")}/email-templates/{Uri.EscapeDataString(kind)}/preview",
            new { draft.Subject, draft.Html, draft.Text, sample }, ct);

    public Task<DigestSettingsItem> DigestSettings(CancellationToken ct) => Send<DigestSettingsItem>(HttpMethod.Get, "/api/v1/settings/digest", null, ct);

    public Task<DigestSettingsItem> SetDigestSettings(DigestSettingsItem settings, CancellationToken ct) =>
        Send<DigestSettingsItem>(HttpMethod.Put, "/api/v1/settings/digest", new { settings.Recipients, settings.Hour, settings.TimeZone }, ct);

    public Task<ProgramItem> CreateProgram(object request, string idempotencyKey, CancellationToken ct) =>
        Send<ProgramItem>(HttpMethod.Post, "/api/v1/programs", request, ct, idempotencyKey);

    public Task<ProgramItem> OpenProgram(Guid id, CancellationToken ct) => Send<ProgramItem>(HttpMethod.Post, $"/api/v1/programs/{id}/open", null, ct);

    public Task<Page<EnrolmentItem>> Enrolments(Guid programId, CancellationToken ct) =>
        Send<Page<EnrolmentItem>>(HttpMethod.Get, $"/api/v1/programs/{programId}/enrolments?limit=500", null, ct);

    public Task<EnrolmentItem> Enrol(Guid programId, object person, CancellationToken ct) =>
        Send<EnrolmentItem>(HttpMethod.Post, $"/api/v1/programs/{programId}/enrolments", person, ct);

    /// <summary>One enrolment with its ETag, for a profile change that must not overwrite someone else's.</summary>
    public Task<Versioned<EnrolmentItem>> Enrolment(Guid programId, Guid enrolmentId, CancellationToken ct) =>
        SendVersioned<EnrolmentItem>(HttpMethod.Get, $"/api/v1/programs/{programId}/enrolments/{enrolmentId}", null, ct);

    /// <summary>Changes the profile fields <paramref name="patch"/> names; 412 when <paramref name="etag"/> is no longer the enrolment's version.</summary>
    public Task<Versioned<EnrolmentItem>> ChangeProfile(Guid programId, Guid enrolmentId, object patch, string? etag, CancellationToken ct) =>
        SendVersioned<EnrolmentItem>(HttpMethod.Patch, $"/api/v1/programs/{programId}/enrolments/{enrolmentId}", patch, ct, ifMatch: etag);

    public Task Withdraw(Guid programId, Guid enrolmentId, CancellationToken ct) =>
        Send<object>(HttpMethod.Delete, $"/api/v1/programs/{programId}/enrolments/{enrolmentId}", null, ct);

    /// <summary>Stops or resumes a participant's reminders on their word.</summary>
    public Task<EnrolmentItem> SetReminders(Guid programId, Guid enrolmentId, bool stopped, CancellationToken ct) =>
        Send<EnrolmentItem>(HttpMethod.Put, $"/api/v1/programs/{programId}/enrolments/{enrolmentId}/reminders", new { stopped }, ct);

    /// <summary>
    /// Imports a CSV file of people, or (<paramref name="dryRun"/>) answers what each row would do without writing anything.
    /// A file of more than 1,000 rows is imported in the background: this waits for it and answers its counts.
    /// </summary>
    public async Task<ImportPreview> ImportEnrolments(Guid programId, byte[] csv, bool dryRun, CancellationToken ct)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        // No Idempotency-Key: the import is idempotent itself (the same file again changes nothing), and a key would answer a
        // later import of the same file, after a withdrawal say, with the first one's counts.
        var answer = await Send<JsonElement>(HttpMethod.Post, $"/api/v1/programs/{programId}/enrolments/import{(dryRun ? "?dryRun=true" : "")}", content, ct);
        if (answer.TryGetProperty("rows", out _))
        {
            return answer.Deserialize<ImportPreview>(JsonSerializerOptions.Web)!;
        }
        var importId = answer.GetProperty("id").GetGuid();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var status = await Send<ImportStatusItem>(HttpMethod.Get, $"/api/v1/programs/{programId}/enrolments/imports/{importId}?limit=1", null, ct);
            if (status.Status == "failed")
            {
                throw new GatewayProblem(HttpStatusCode.InternalServerError, status.Error ?? "The import failed.", NoErrors);
            }
            if (status.Status == "completed")
            {
                return new ImportPreview(false, status.Total, status.Counts, [], []);
            }
        }
    }

    public Task<Page<RunSummaryItem>> Runs(Guid programId, CancellationToken ct) =>
        Send<Page<RunSummaryItem>>(HttpMethod.Get, $"/api/v1/programs/{programId}/matching-runs?limit=20", null, ct);

    public Task<RunAccepted> StartRun(Guid programId, CancellationToken ct) =>
        Send<RunAccepted>(HttpMethod.Post, $"/api/v1/programs/{programId}/matching-runs", new { }, ct);

    public Task<RunItem> Run(Guid programId, Guid runId, CancellationToken ct) =>
        Send<RunItem>(HttpMethod.Get, $"/api/v1/programs/{programId}/matching-runs/{runId}?limit=500", null, ct);

    public Task<RunItem> Pin(Guid programId, Guid runId, Guid proposalId, bool pinned, CancellationToken ct) =>
        Send<RunItem>(pinned ? HttpMethod.Post : HttpMethod.Delete, $"/api/v1/programs/{programId}/matching-runs/{runId}/proposals/{proposalId}/pin", null, ct);

    public Task<RunItem> Remove(Guid programId, Guid runId, Guid proposalId, CancellationToken ct) =>
        Send<RunItem>(HttpMethod.Delete, $"/api/v1/programs/{programId}/matching-runs/{runId}/proposals/{proposalId}", null, ct);

    /// <summary>A pair (or group) by hand; the API answers 409 with the rule in words when one forbids it.</summary>
    public Task<RunItem> AddProposal(Guid programId, Guid runId, Guid mentorId, IReadOnlyList<Guid> menteeIds, CancellationToken ct) =>
        Send<RunItem>(HttpMethod.Post, $"/api/v1/programs/{programId}/matching-runs/{runId}/proposals", new { mentorId, menteeIds, round = 1 }, ct);

    public Task<RunItem> Swap(Guid programId, Guid runId, Guid menteeA, Guid menteeB, CancellationToken ct) =>
        Send<RunItem>(HttpMethod.Post, $"/api/v1/programs/{programId}/matching-runs/{runId}/swaps", new { menteeA, menteeB }, ct);

    public Task<RunItem> Publish(Guid programId, Guid runId, CancellationToken ct) =>
        Send<RunItem>(HttpMethod.Post, $"/api/v1/programs/{programId}/matching-runs/{runId}/publish", null, ct);

    public Task<Page<EngagementItem>> Engagements(Guid programId, CancellationToken ct) =>
        Send<Page<EngagementItem>>(HttpMethod.Get, $"/api/v1/programs/{programId}/engagements?limit=500", null, ct);

    public Task<EngagementItem> CompleteSession(Guid engagementId, int number, CancellationToken ct) =>
        Send<EngagementItem>(HttpMethod.Post, $"/api/v1/engagements/{engagementId}/sessions/{number}/complete", null, ct);

    public Task<Page<NotificationItem>> FailedNotifications(Guid programId, CancellationToken ct) =>
        Send<Page<NotificationItem>>(HttpMethod.Get, $"/api/v1/programs/{programId}/notifications?status=failed&limit=500", null, ct);

    public Task<NotificationItem> Resend(Guid programId, Guid notificationId, CancellationToken ct) =>
        Send<NotificationItem>(HttpMethod.Post, $"/api/v1/programs/{programId}/notifications/{notificationId}/resend", null, ct);

    public Task<ProgramReportItem> ProgramReport(Guid programId, CancellationToken ct) =>
        Send<ProgramReportItem>(HttpMethod.Get, $"/api/v1/programs/{programId}/report", null, ct);

    public Task<Page<HistoryItem>> History(Guid programId, CancellationToken ct) =>
        Send<Page<HistoryItem>>(HttpMethod.Get, $"/api/v1/programs/{programId}/history?limit=500", null, ct);

    public Task<Page<ApiKeyItem>> ApiKeys(CancellationToken ct) => Send<Page<ApiKeyItem>>(HttpMethod.Get, "/api/v1/api-keys?limit=500", null, ct);

    public Task<IssuedApiKey> CreateApiKey(string name, IReadOnlyList<string> scopes, CancellationToken ct) =>
        Send<IssuedApiKey>(HttpMethod.Post, "/api/v1/api-keys", new { name, scopes }, ct);

    public Task<IssuedApiKey> RotateApiKey(Guid id, int gracePeriodHours, CancellationToken ct) =>
        Send<IssuedApiKey>(HttpMethod.Post, $"/api/v1/api-keys/{id}/rotate", new { gracePeriodHours }, ct);

    public Task RevokeApiKey(Guid id, CancellationToken ct) => Send<object>(HttpMethod.Delete, $"/api/v1/api-keys/{id}", null, ct);

    async Task<T> Send<T>(HttpMethod method, string path, object? body, CancellationToken ct, string? idempotencyKey = null) =>
        (await SendVersioned<T>(method, path, body, ct, idempotencyKey)).Value;

    async Task<Versioned<T>> SendVersioned<T>(HttpMethod method, string path, object? body, CancellationToken ct, string? idempotencyKey = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CoordinatorTokenFor(ct));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (body is HttpContent content)
        {
            request.Content = content;
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.ExecutionRejectedException
            || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new GatewayProblem(HttpStatusCode.ServiceUnavailable, "Torace cannot be reached just now; try again in a moment.", NoErrors);
        }
        using var answer = response;
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemOf(response, ct);
            throw new GatewayProblem(response.StatusCode,
                problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? response.StatusCode.ToString(),
                problem?.Errors ?? NoErrors);
        }
        var etag = response.Headers.ETag?.ToString();
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return new Versioned<T>(default!, etag);
        }
        try
        {
            return new Versioned<T>(await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new GatewayProblem(response.StatusCode, "The gateway answered nothing.", NoErrors), etag);
        }
        catch (JsonException)
        {
            throw new GatewayProblem(HttpStatusCode.BadGateway, "Torace answered something this page cannot read; try again or reload the page.", NoErrors);
        }
    }

    static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>The answer's ProblemDetails, or nothing when the body is empty or not one.</summary>
    static async Task<ProblemAnswer?> ProblemOf(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return response.Content.Headers.ContentLength is 0 ? null : await response.Content.ReadFromJsonAsync<ProblemAnswer>(ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    async Task<string> CoordinatorTokenFor(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var district = user.FindFirstValue(ServiceToken.TenantClaim);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(district) || string.IsNullOrEmpty(id))
        {
            throw new GatewayProblem(HttpStatusCode.Unauthorized, "Sign in again: this page has no signed-in coordinator.", NoErrors);
        }
        // Fail closed: someone in neither role (a role taken away) calls as nobody.
        var role = user.IsInRole(CoordinatorToken.DistrictAdmin) ? CoordinatorToken.DistrictAdmin
            : user.IsInRole(CoordinatorToken.Coordinator) ? CoordinatorToken.Coordinator
            : throw new GatewayProblem(HttpStatusCode.Forbidden, "Your account has no coordinator role; ask your district's admin.", NoErrors);
        return CoordinatorToken.Issue(key.Key, district, id, role, clock.GetUtcNow());
    }

    sealed record ProblemAnswer(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

public static class GatewayApiSetup
{
    /// <summary>The gateway by service discovery (the AppHost's reference), or Admin:GatewayUrl when set.</summary>
    public static IHostApplicationBuilder AddGatewayApi(this IHostApplicationBuilder builder)
    {
        // Read now: a missing or short key stops start-up instead of the first page.
        builder.Services.AddSingleton(CoordinatorSigningKey.From(builder.Configuration, "Admin:CoordinatorSigningKey"));
        builder.Services.AddSingleton(TimeProvider.System);
        // Only reads are retried: a retried POST could start a second run or make a key nobody sees. A run's start
        // waits up to 10 s for Matching, so an attempt may take 30 s.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is how a client replaces the defaults' handler.
        builder.Services.AddHttpClient<GatewayApi>(client => client.BaseAddress = new Uri(builder.Configuration["Admin:GatewayUrl"] ?? "https+http://gateway"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
            });
#pragma warning restore EXTEXP0001
        return builder;
    }
}


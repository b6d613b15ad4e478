using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;

namespace Torace.Participate.Gateway;

/// <summary>What the gateway answered when it was not a success: its status and the ProblemDetails' words.</summary>
public sealed class GatewayRefusal(HttpStatusCode status, string detail, IReadOnlyDictionary<string, string[]> errors) : Exception(detail)
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// The public API as the participant a link names: every call sends the link's token as <c>Authorization: Bearer</c>, so
/// the gateway checks it each time and the services let it do its one action for its own enrolment. The pages have no
/// other way into the system and no key of their own.
/// </summary>
public sealed class ParticipantGateway(HttpClient http)
{
    public Task<LinkInfo> Link(string token, CancellationToken ct) => Send<LinkInfo>(token, HttpMethod.Get, "/api/v1/participant-link", null, ct);

    public Task<BrandView> Brand(string token, CancellationToken ct) => Send<BrandView>(token, HttpMethod.Get, "/api/v1/settings/branding", null, ct);

    public Task<MatchView> Match(string token, string target, CancellationToken ct) => Send<MatchView>(token, HttpMethod.Get, Path(target), null, ct);

    /// <summary>The engagement a touchpoint or session target belongs to (<c>engagements/{id}/…</c>).</summary>
    public Task<EngagementView> Engagement(string token, string target, CancellationToken ct) =>
        Send<EngagementView>(token, HttpMethod.Get, Path(string.Join('/', target.Split('/').Take(2))), null, ct);

    public Task Decline(string token, string match, string? reason, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(match) + "/decline", new { reason }, ct);

    public Task Submit(string token, string touchpoint, string response, string? link, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(touchpoint) + "/submission", new { response, link }, ct);

    public Task GiveFeedback(string token, string touchpoint, string text, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(touchpoint) + "/feedback", new { text }, ct);

    public Task CompleteSession(string token, string session, bool attended, string? notes, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(session) + "/complete", new { attended, notes }, ct);

    public Task ProposeDate(string token, string session, DateTimeOffset startsAt, string modality, string? reason, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Put, Path(session), new { startsAt, modality, reason }, ct);

    public Task ConfirmDate(string token, string session, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(session) + "/confirm", null, ct);

    public Task Withdraw(string token, string engagement, string? reason, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Post, Path(engagement) + "/withdraw", new { reason }, ct);

    public Task StopReminders(string token, string enrolment, CancellationToken ct) =>
        Send<JsonElement>(token, HttpMethod.Put, Path(enrolment) + "/reminders", new { stopped = true }, ct);

    static string Path(string target) => "/api/v1/" + target;

    async Task<T> Send<T>(string token, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, ct)
                ?? throw new GatewayRefusal(HttpStatusCode.BadGateway, "The gateway answered without a body.", new Dictionary<string, string[]>());
        }
        var (detail, errors) = await Problem(response, ct);
        throw new GatewayRefusal(response.StatusCode, detail, errors);
    }

    static async Task<(string Detail, IReadOnlyDictionary<string, string[]> Errors)> Problem(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var detail = problem.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } text ? text
                : problem.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            var errors = problem.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray())
                : [];
            return (detail, errors);
        }
        catch (JsonException)
        {
            return ("", new Dictionary<string, string[]>());
        }
    }
}

public static class ParticipantGatewaySetup
{
    public static IHostApplicationBuilder AddParticipantGateway(this IHostApplicationBuilder builder)
    {
        // Only reads are retried: a retried POST is harmless here (each action is idempotent) but would hide a slow gateway.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is how a client replaces the defaults' handler.
        builder.Services.AddHttpClient<ParticipantGateway>(client => client.BaseAddress = new Uri(builder.Configuration["Participate:GatewayUrl"] ?? "https+http://gateway"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
        return builder;
    }

    /// <summary>
    /// The pages carry a participant's link in their address: nothing leaves with a Referer, nothing is cached, no script
    /// runs (the pages have none), and no other site may frame them.
    /// </summary>
    public static WebApplication UseParticipantPageHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            // Inline style carries only the district's colour (validated #rrggbb); its logo may live on its own https site.
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https:; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return next();
        });
        return app;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Webhooks;

/// <summary>Register or change an endpoint: where to send, which event types of the catalogue, and a note for the district's own use.</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description = null);

/// <summary>
/// A webhook endpoint. <c>secret</c> (<c>whsec_</c>…, for verifying signatures) is given only when the endpoint is
/// registered and when its secret is rotated; keep it then.
/// </summary>
public sealed record WebhookResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    [property: AllowedValues("enabled", "disabled")] string Status,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Secret)
{
    public static WebhookResponse From(WebhookEndpoint e, string? secret = null) =>
        new(e.Id, e.Url, e.EventTypes, e.Description, e.Status, e.DisabledReason, e.DisabledAt, e.CreatedAt, e.UpdatedAt, secret);
}

/// <summary>One type of the public event catalogue; deliveries of one resource to one endpoint go out in the order the events happened.</summary>
public sealed record WebhookEventTypeResponse(string Name, int Version, string Description, string Resource);

public sealed record WebhookAttemptResponse(int Attempt, DateTimeOffset At, int? StatusCode, string? Error, int DurationMs);

/// <summary>
/// One delivery of the log: the event it carries (<c>payload</c>, exactly as sent), its state, and every attempt.
/// <c>webhookId</c> is the <c>webhook-id</c> header, the same on every attempt and replay.
/// </summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    string WebhookId,
    string EventType,
    Guid ResourceId,
    DateTimeOffset OccurredAt,
    DateTimeOffset CreatedAt,
    [property: AllowedValues("pending", "delivered", "failed", "paused", "cancelled")] string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    JsonElement Payload,
    IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    public static WebhookDeliveryResponse From(DeliveryRow d, IEnumerable<AttemptRow> attempts)
    {
        using var payload = JsonDocument.Parse(d.Payload);
        return new(d.Id, WebhookSignature.MessageId(d.Id), d.EventType, d.ResourceId, d.OccurredAt, d.CreatedAt, d.Status, d.Attempts, d.NextAttemptAt,
            d.LastAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt, payload.RootElement.Clone(),
            [.. attempts.Select(a => new WebhookAttemptResponse(a.Attempt, a.At, a.StatusCode, a.Error, a.DurationMs))]);
    }
}

/// <summary>Send an endpoint's deliveries again: those created since a moment (all of them without it), only the failed and cancelled ones unless told otherwise.</summary>
public sealed record WebhookReplayRequest(DateTimeOffset? Since = null, bool? OnlyFailed = null);

public sealed record WebhookReplayResponse(int Replayed);

public static class WebhooksApi
{
    /// <summary>Endpoints a district may keep at once.</summary>
    public const int MaxEndpoints = 20;

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/webhook-event-types", EventTypes).WithTags("Webhooks").WithName("ListWebhookEventTypes")
            .WithSummary("The public event catalogue webhooks deliver (their payloads are documented under x-webhooks).");

        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireScope(Scopes.Admin);
        webhooks.MapPost("/", Register).WithName("RegisterWebhook")
            .WithSummary("Register an endpoint for some event types. The answer holds its signing secret, shown this once. Deliveries are signed as Standard Webhooks says and retried for 24 hours.")
            .WithExample(new WebhookRequest("https://hr.example.org/torace/events", [WebhookCatalogue.MatchPublished, WebhookCatalogue.EngagementCompleted], "HR system"));
        webhooks.MapGet("/", List).WithName("ListWebhooks").WithSummary("The district's endpoints, oldest first (without their secrets).");
        var webhook = webhooks.MapGroup("/{webhookId:guid}");
        webhook.MapGet("/", Get).WithName("GetWebhook").WithSummary("One endpoint; the ETag is its version.");
        webhook.MapPut("/", Change).WithName("ChangeWebhook").WithSummary("Change an endpoint's address, event types or description.")
            .WithExample(new WebhookRequest("https://hr.example.org/torace/events", [WebhookCatalogue.MatchPublished], "HR system"));
        webhook.MapDelete("/", Remove).WithName("RemoveWebhook").WithSummary("Remove an endpoint: what it had not received yet is cancelled; its delivery log stays readable.");
        webhook.MapPost("/enable", Enable).WithName("EnableWebhook").WithSummary("Enable an endpoint that was disabled: what waited for it goes out now.");
        webhook.MapPost("/rotate-secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret, shown this once. For 24 hours deliveries carry signatures by both the old and the new secret.");
        webhook.MapGet("/deliveries", Deliveries).WithName("ListWebhookDeliveries").WithAllowedValues("status", "WebhookDeliveryStatus", DeliveryStatus.All)
            .WithSummary("The endpoint's delivery log, newest first, with every attempt; optionally with one status.");
        webhook.MapGet("/deliveries/{deliveryId:guid}", Delivery).WithName("GetWebhookDelivery").WithSummary("One delivery, its payload and its attempts.");
        webhook.MapPost("/deliveries/{deliveryId:guid}/replay", ReplayOne).WithName("ReplayWebhookDelivery")
            .WithSummary("Send a delivery again (same webhook-id), with a new 24 hours of retries.");
        webhook.MapPost("/replay", ReplayMany).WithName("ReplayWebhookDeliveries")
            .WithSummary("Send again the endpoint's deliveries created since a moment: by default only the failed and cancelled ones.")
            .WithExample(new WebhookReplayRequest(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), true));
        return api;
    }

    static Ok<IReadOnlyList<WebhookEventTypeResponse>> EventTypes() =>
        TypedResults.Ok<IReadOnlyList<WebhookEventTypeResponse>>([.. WebhookCatalogue.Types.Select(t => new WebhookEventTypeResponse(t.Name, t.Version, t.Description, t.Resource))]);

    static async Task<Results<Created<WebhookResponse>, ValidationProblem>> Register(
        WebhookRequest? request, IDocumentSession session, WebhookAddresses addresses, TimeProvider clock, CancellationToken ct)
    {
        var validation = Validate(request, addresses);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (await session.Query<WebhookEndpoint>().CountAsync(e => e.Status != WebhookStatus.Removed, ct) >= MaxEndpoints)
        {
            throw Rejected.Conflict($"A district keeps at most {MaxEndpoints} webhook endpoints; remove one first.");
        }
        var registered = new WebhookRegistered(Guid.CreateVersion7(), request!.Url!, [.. request.EventTypes!.Distinct(StringComparer.Ordinal)],
            WebhookSignature.NewSecret(), request.Description, clock.GetUtcNow());
        session.Events.StartStream<WebhookEndpoint>(registered.EndpointId, registered);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"{PublicApi.Root}/webhooks/{registered.EndpointId}", WebhookResponse.From(WebhookEndpoint.Create(registered), registered.Secret));
    }

    static async Task<Results<Ok<Page<WebhookResponse>>, ValidationProblem>> List(int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var endpoints = await session.Query<WebhookEndpoint>().Stats(out var stats).Where(e => e.Status != WebhookStatus.Removed)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. endpoints.Select(e => WebhookResponse.From(e))], stats.TotalResults, request));
    }

    static async Task<Results<Ok<WebhookResponse>, NotFound>> Get(Guid webhookId, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await Live(session, webhookId, ct) is not { } endpoint)
        {
            return TypedResults.NotFound();
        }
        response.SetETag(await Versions.Of(session, webhookId, ct));
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    static async Task<Results<Ok<WebhookResponse>, NotFound, ValidationProblem>> Change(
        Guid webhookId, WebhookRequest? request, IDocumentSession session, WebhookAddresses addresses, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = Validate(request, addresses);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await session.Change<WebhookEndpoint>(webhookId, http, e =>
            WebhookDecisions.Change(e, request!.Url!, [.. request.EventTypes!.Distinct(StringComparer.Ordinal)], request.Description, now), ct));
    }

    static async Task<Results<NoContent, NotFound>> Remove(Guid webhookId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await session.Change<WebhookEndpoint>(webhookId, http, e => WebhookDecisions.Remove(e, now), ct,
            (s, e, _) => WebhookQueue.Cancel(s, e.Id)) is null ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    static async Task<Results<Ok<WebhookResponse>, NotFound, ValidationProblem>> Enable(
        Guid webhookId, IDocumentSession session, TimeProvider clock, WebhookDispatcher dispatcher, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changed = await session.Change<WebhookEndpoint>(webhookId, http, e => WebhookDecisions.Enable(e, now), ct,
            (s, e, _) => WebhookQueue.Resume(s, e.Id, now));
        dispatcher.Wake();
        return Answer(changed);
    }

    static async Task<Results<Ok<WebhookResponse>, NotFound>> RotateSecret(
        Guid webhookId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var secret = WebhookSignature.NewSecret();
        return await session.Change<WebhookEndpoint>(webhookId, http, e => WebhookDecisions.RotateSecret(e, secret, now), ct) is { } changed
            ? TypedResults.Ok(WebhookResponse.From(changed.State, secret))
            : TypedResults.NotFound();
    }

    static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, NotFound, ValidationProblem>> Deliveries(
        Guid webhookId, string? status, int? limit, string? cursor, IQuerySession session, NpgsqlDataSource database, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(status is null || DeliveryStatus.All.Contains(status), "status",
            $"'status' must be one of: {string.Join(", ", DeliveryStatus.All)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<WebhookEndpoint>(webhookId, ct) is null)
        {
            return TypedResults.NotFound();
        }
        var (rows, total) = await WebhookQueue.List(database, session.TenantId, webhookId, null, status, page.Offset, page.Limit, ct);
        var attempts = await WebhookQueue.AttemptsOf(database, session.TenantId, [.. rows.Select(r => r.Id)], ct);
        return TypedResults.Ok(page.Answer([.. rows.Select(r => WebhookDeliveryResponse.From(r, attempts[r.Id]))], total, request));
    }

    static async Task<Results<Ok<WebhookDeliveryResponse>, NotFound>> Delivery(
        Guid webhookId, Guid deliveryId, IQuerySession session, NpgsqlDataSource database, CancellationToken ct)
    {
        var (rows, _) = await WebhookQueue.List(database, session.TenantId, webhookId, deliveryId, null, 0, 1, ct);
        if (rows is not [var row])
        {
            return TypedResults.NotFound();
        }
        var attempts = await WebhookQueue.AttemptsOf(database, session.TenantId, [row.Id], ct);
        return TypedResults.Ok(WebhookDeliveryResponse.From(row, attempts[row.Id]));
    }

    static async Task<Results<Accepted<WebhookReplayResponse>, NotFound>> ReplayOne(
        Guid webhookId, Guid deliveryId, IQuerySession session, NpgsqlDataSource database, WebhookDispatcher dispatcher, IOptions<WebhookOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        await Enabled(session, webhookId, ct);
        var (rows, _) = await WebhookQueue.List(database, session.TenantId, webhookId, deliveryId, null, 0, 1, ct);
        if (rows.Count == 0)
        {
            return TypedResults.NotFound();
        }
        var replayed = await WebhookQueue.Replay(database, session.TenantId, webhookId, deliveryId, null, onlyFailed: false, clock.GetUtcNow(), options.Value.RetryFor, ct);
        dispatcher.Wake();
        return TypedResults.Accepted($"{PublicApi.Root}/webhooks/{webhookId}/deliveries/{deliveryId}", new WebhookReplayResponse(replayed));
    }

    static async Task<Results<Accepted<WebhookReplayResponse>, NotFound>> ReplayMany(
        Guid webhookId, WebhookReplayRequest? request, IQuerySession session, NpgsqlDataSource database, WebhookDispatcher dispatcher,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        await Enabled(session, webhookId, ct);
        var replayed = await WebhookQueue.Replay(database, session.TenantId, webhookId, null, request?.Since, request?.OnlyFailed ?? true, clock.GetUtcNow(),
            options.Value.RetryFor, ct);
        dispatcher.Wake();
        return TypedResults.Accepted($"{PublicApi.Root}/webhooks/{webhookId}/deliveries", new WebhookReplayResponse(replayed));
    }

    static Validation Validate(WebhookRequest? request, WebhookAddresses addresses)
    {
        var validation = new Validation().RequireText(request?.Url, "url", 2_000).AtMost(request?.Description, "description", 200);
        if (request?.Url is { Length: > 0 and <= 2_000 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            {
                validation.Add("url", "'url' must be an absolute http(s) address without credentials or fragment.");
            }
            else if (addresses.Refusal(uri) is { } refusal)
            {
                validation.Add("url", refusal);
            }
        }
        var types = request?.EventTypes;
        validation.Require(types is { Count: > 0 and <= 50 }, "eventTypes", "'eventTypes' must name between 1 and 50 event types of the catalogue.");
        foreach (var unknown in types?.Where(t => !WebhookCatalogue.Names.Contains(t)) ?? [])
        {
            validation.Add("eventTypes", $"'{unknown}' is not an event type; the catalogue has {string.Join(", ", WebhookCatalogue.Names)}.");
        }
        return validation;
    }

    /// <summary>The endpoint, unless it does not exist or was removed.</summary>
    static async Task<WebhookEndpoint?> Live(IQuerySession session, Guid webhookId, CancellationToken ct) =>
        await session.LoadAsync<WebhookEndpoint>(webhookId, ct) is { Status: not WebhookStatus.Removed } endpoint ? endpoint : null;

    static async Task Enabled(IQuerySession session, Guid webhookId, CancellationToken ct)
    {
        var endpoint = await Live(session, webhookId, ct) ?? throw Rejected.NotFound("No such webhook endpoint.");
        if (!endpoint.IsEnabled)
        {
            throw Rejected.Conflict("The endpoint is disabled: enable it first, and what waited for it goes out then.");
        }
    }

    static Results<Ok<WebhookResponse>, NotFound, ValidationProblem> Answer(Changed<WebhookEndpoint>? changed) =>
        changed is not null ? TypedResults.Ok(WebhookResponse.From(changed.State)) : TypedResults.NotFound();
}

using Torace.Platform.Api;

namespace Torace.Notifications.Webhooks;

public sealed record WebhookRegistered(Guid EndpointId, string Url, IReadOnlyList<string> EventTypes, string Secret, string? Description, DateTimeOffset RegisteredAt);

public sealed record WebhookChanged(Guid EndpointId, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTimeOffset ChangedAt);

/// <summary>A new secret signs from now on; the one before it signs alongside it until <see cref="PreviousUntil"/>, so a receiver can switch over.</summary>
public sealed record WebhookSecretRotated(Guid EndpointId, string Secret, DateTimeOffset PreviousUntil, DateTimeOffset RotatedAt);

public sealed record WebhookDisabled(Guid EndpointId, string Url, string Reason, DateTimeOffset DisabledAt);

public sealed record WebhookEnabled(Guid EndpointId, DateTimeOffset EnabledAt);

public sealed record WebhookRemoved(Guid EndpointId, DateTimeOffset RemovedAt);

public static class WebhookStatus
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
    public const string Removed = "removed";
}

/// <summary>
/// A district's webhook endpoint (one stream each): where deliveries go, which event types it wants, the secret that
/// signs them, and whether it is enabled. A removed endpoint keeps its stream, its history and its delivery log.
/// </summary>
public sealed record WebhookEndpoint(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string Secret,
    string? Description,
    string Status,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? PreviousSecret = null,
    DateTimeOffset? PreviousSecretUntil = null)
{
    public bool IsEnabled => Status == WebhookStatus.Enabled;

    /// <summary>The secrets a delivery is signed with now: the current one, and the one before it while its overlap lasts.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretUntil > now ? [Secret, previous] : [Secret];

    public static WebhookEndpoint Create(WebhookRegistered e) =>
        new(e.EndpointId, e.Url, e.EventTypes, e.Secret, e.Description, WebhookStatus.Enabled, null, null, e.RegisteredAt, e.RegisteredAt);

    public WebhookEndpoint Apply(WebhookChanged e) => this with { Url = e.Url, EventTypes = e.EventTypes, Description = e.Description, UpdatedAt = e.ChangedAt };

    public WebhookEndpoint Apply(WebhookSecretRotated e) =>
        this with { PreviousSecret = Secret, PreviousSecretUntil = e.PreviousUntil, Secret = e.Secret, UpdatedAt = e.RotatedAt };

    public WebhookEndpoint Apply(WebhookDisabled e) =>
        this with { Status = WebhookStatus.Disabled, DisabledReason = e.Reason, DisabledAt = e.DisabledAt, UpdatedAt = e.DisabledAt };

    public WebhookEndpoint Apply(WebhookEnabled e) => this with { Status = WebhookStatus.Enabled, DisabledReason = null, DisabledAt = null, UpdatedAt = e.EnabledAt };

    public WebhookEndpoint Apply(WebhookRemoved e) => this with { Status = WebhookStatus.Removed, UpdatedAt = e.RemovedAt };
}

/// <summary>What may happen to an endpoint, decided on its state alone.</summary>
public static class WebhookDecisions
{
    /// <summary>How long a rotated-out secret keeps signing alongside the new one.</summary>
    public static readonly TimeSpan SecretOverlap = TimeSpan.FromHours(24);

    public static IReadOnlyList<object> Change(WebhookEndpoint endpoint, string url, IReadOnlyList<string> eventTypes, string? description, DateTimeOffset now)
    {
        Live(endpoint);
        return endpoint.Url == url && endpoint.EventTypes.SequenceEqual(eventTypes) && endpoint.Description == description
            ? []
            : [new WebhookChanged(endpoint.Id, url, eventTypes, description, now)];
    }

    public static IReadOnlyList<object> RotateSecret(WebhookEndpoint endpoint, string secret, DateTimeOffset now)
    {
        Live(endpoint);
        return [new WebhookSecretRotated(endpoint.Id, secret, now + SecretOverlap, now)];
    }

    /// <summary>The dispatcher gives up on an endpoint that keeps failing; one already disabled (or removed) stays as it is.</summary>
    public static IReadOnlyList<object> Disable(WebhookEndpoint endpoint, string reason, DateTimeOffset now) =>
        endpoint.IsEnabled ? [new WebhookDisabled(endpoint.Id, endpoint.Url, reason, now)] : [];

    public static IReadOnlyList<object> Enable(WebhookEndpoint endpoint, DateTimeOffset now)
    {
        Live(endpoint);
        return endpoint.IsEnabled ? [] : [new WebhookEnabled(endpoint.Id, now)];
    }

    public static IReadOnlyList<object> Remove(WebhookEndpoint endpoint, DateTimeOffset now) =>
        endpoint.Status == WebhookStatus.Removed ? [] : [new WebhookRemoved(endpoint.Id, now)];

    static void Live(WebhookEndpoint endpoint)
    {
        if (endpoint.Status == WebhookStatus.Removed)
        {
            throw Rejected.NotFound("The webhook endpoint was removed.");
        }
    }
}

namespace Torace.Gateway.ApiKeys;

/// <summary>A new key: a name people recognise it by and what it may do (<c>read</c>, <c>write</c>, <c>admin</c>).</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes);

/// <summary>How long the key being replaced keeps working: 0 to 720 hours, 24 when not given.</summary>
public sealed record RotateApiKeyRequest(int? GracePeriodHours);

/// <summary>A key just created or rotated in: the only answer that shows <see cref="Key"/>.</summary>
public sealed record ApiKeyCreated(
    Guid Id,
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    Guid? RotatedFrom,
    string Key)
{
    public static ApiKeyCreated Of(IssuedApiKey issued) => new(
        issued.Stored.Id, issued.Stored.Name, issued.Stored.Scopes, issued.Stored.CreatedAt, issued.Stored.ExpiresAt, issued.Stored.RotatedFrom, issued.Key);
}

/// <summary>A key as listed: its first characters (<see cref="Prefix"/>) to recognise it by, never the key.</summary>
public sealed record ApiKeySummary(
    Guid Id,
    string Name,
    IReadOnlyList<string> Scopes,
    string? Prefix,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    Guid? RotatedFrom)
{
    public static ApiKeySummary Of(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Scopes, key.Prefix, key.StatusAt(now), key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.RotatedFrom);
}

/// <summary>A page of the district's keys, oldest first; <see cref="Next"/> links to the next page (null on the last).</summary>
public sealed record ApiKeyPage(IReadOnlyList<ApiKeySummary> Items, string? Next, long Total);

using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Gateway.Callers;
using Torace.Gateway.Idempotency;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ApiKeys;

/// <summary>
/// A district admin (a key with the <c>admin</c> scope) manages the district's keys: create (shown once), list,
/// rotate with a grace period, revoke. Served by the gateway itself, never proxied.
/// </summary>
public static class ApiKeysApi
{
    public const string Path = "/api/v1/api-keys";
    const int MaxNameLength = 100;
    const int MaxGraceHours = 720;
    const int DefaultGraceHours = 24;
    const int DefaultLimit = 50;
    const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup(Path).WithTags("API keys").RequireAuthorization(GatewayCallers.DistrictAdmin);
        keys.MapPost("/", Create).Idempotent<CreateApiKeyRequest>()
            .WithName("CreateApiKey")
            .WithSummary("Create an API key for the district.")
            .WithDescription("The key is in this answer only; Torace stores its SHA-256 hash. Needs the admin scope.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapGet("/", List)
            .WithName("ListApiKeys")
            .WithSummary("The district's API keys, oldest first, with the first characters of each key (never the key).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapGet("/{keyId}", Get)
            .WithName("GetApiKey")
            .WithSummary("One of the district's API keys (never the key).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapPost("/{keyId}/rotate", Rotate).Idempotent<RotateApiKeyRequest>()
            .WithName("RotateApiKey")
            .WithSummary("Replace a key with a new one of the same name and scopes; the old one works until the grace period ends.")
            .WithDescription("gracePeriodHours: 0 (the old key stops at once) to 720; 24 when not given.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        keys.MapDelete("/{keyId}", Revoke)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke a key: it stops working at once.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<Results<Created<ApiKeyCreated>, ValidationProblem>> Create(
        CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyStore keys, GatewayTransaction tx, CancellationToken ct)
    {
        var validation = new Validation().RequireText(request.Name, "name", MaxNameLength);
        var scopes = ValidScopes(request.Scopes, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var issued = await keys.Create(tx, user.Caller().TenantId, request.Name!.Trim(), scopes, rotatedFrom: null, ct);
        return TypedResults.Created(Location(issued.Stored.Id), ApiKeyCreated.Of(issued));
    }

    static async Task<Results<Ok<ApiKeyPage>, ValidationProblem>> List(
        int? limit, string? cursor, ClaimsPrincipal user, ApiKeyStore keys, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation();
        var size = limit ?? DefaultLimit;
        validation.Require(size is >= 1 and <= MaxLimit, "limit", $"'limit' must be a whole number from 1 to {MaxLimit}.");
        var after = cursor is null ? null : ApiKeyCursor.Decode(cursor);
        validation.Require(cursor is null || after is not null, "cursor", "'cursor' must be a cursor from an earlier page's 'next' link.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var (page, total) = await keys.List(user.Caller().TenantId, after, size + 1, ct);
        var now = clock.GetUtcNow();
        var items = page.Take(size).Select(k => ApiKeySummary.Of(k, now)).ToList();
        var next = page.Count > size
            ? $"{Path}?limit={size}&cursor={new ApiKeyCursor(page[size - 1].CreatedAt, page[size - 1].Id).Encode()}"
            : null;
        return TypedResults.Ok(new ApiKeyPage(items, next, total));
    }

    static async Task<Results<Ok<ApiKeySummary>, NotFound, ValidationProblem>> Get(
        string keyId, ClaimsPrincipal user, ApiKeyStore keys, TimeProvider clock, CancellationToken ct)
    {
        if (KeyIdProblem(keyId, out var id) is { } problem)
        {
            return problem;
        }
        return await keys.Find(user.Caller().TenantId, id, ct) is { } key
            ? TypedResults.Ok(ApiKeySummary.Of(key, clock.GetUtcNow()))
            : TypedResults.NotFound();
    }

    static async Task<Results<Created<ApiKeyCreated>, NotFound, ProblemHttpResult, ValidationProblem>> Rotate(
        string keyId, RotateApiKeyRequest? request, ClaimsPrincipal user, ApiKeyStore keys, GatewayTransaction tx, TimeProvider clock, CancellationToken ct)
    {
        var grace = request?.GracePeriodHours ?? DefaultGraceHours;
        var validation = new Validation().Require(grace is >= 0 and <= MaxGraceHours, "gracePeriodHours",
            $"'gracePeriodHours' must be from 0 (the old key stops at once) to {MaxGraceHours}.");
        var validId = Guid.TryParse(keyId, out var id);
        validation.Require(validId, "keyId", "'keyId' must be a GUID.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (await keys.FindForUpdate(tx, user.Caller().TenantId, id, ct) is not { } old)
        {
            return TypedResults.NotFound();
        }
        if (!old.WorksAt(clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: $"The key is {old.StatusAt(clock.GetUtcNow())}; create a new key instead of rotating this one.");
        }
        var issued = await keys.Rotate(tx, old, TimeSpan.FromHours(grace), ct);
        return TypedResults.Created(Location(issued.Stored.Id), ApiKeyCreated.Of(issued));
    }

    static async Task<Results<NoContent, NotFound, ValidationProblem>> Revoke(string keyId, ClaimsPrincipal user, ApiKeyStore keys, CancellationToken ct)
    {
        if (KeyIdProblem(keyId, out var id) is { } problem)
        {
            return problem;
        }
        return await keys.Revoke(user.Caller().TenantId, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    static string[] ValidScopes(IReadOnlyList<string>? scopes, Validation validation)
    {
        validation.Require(scopes is { Count: > 0 }, "scopes", $"'scopes' must name at least one of: {string.Join(", ", Scopes.All)}.");
        for (var i = 0; i < (scopes?.Count ?? 0); i++)
        {
            validation.Require(Scopes.All.Contains(scopes![i]), $"scopes[{i}]", $"'{scopes[i]}' is not a scope; scopes are {string.Join(", ", Scopes.All)}.");
        }
        return [.. Scopes.All.Where(s => scopes?.Contains(s) == true)];
    }

    static ValidationProblem? KeyIdProblem(string keyId, out Guid id) =>
        Guid.TryParse(keyId, out id) ? null : new Validation().Require(false, "keyId", "'keyId' must be a GUID.").Problem();

    static string Location(Guid id) => $"{Path}/{id}";
}

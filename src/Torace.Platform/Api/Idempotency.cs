using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Torace.Platform.Tenancy;

namespace Torace.Platform.Api;

/// <summary>
/// The first answer to a POST that carried an <c>Idempotency-Key</c>: staged in the request's Marten session before the
/// handler runs, so it commits in the same transaction as the effect (or not at all); the answer itself is filled in
/// right after. The id is district and key, so two districts never share a key.
/// </summary>
public sealed record IdempotentAnswer(string Id, string Fingerprint, DateTimeOffset At, int? Status, string? Body, string? Location, string? ETag);

/// <summary>
/// <c>Idempotency-Key</c> on every POST (per district, 24 h): a repeat with the same key and body answers the first
/// answer again (status, body, Location, ETag) and does nothing; the same key with another body answers 422; two
/// requests with one key at the same time collide on the record, and the loser waits for the winner's answer.
/// </summary>
public sealed class IdempotencyFilter(IDocumentStore store, TimeProvider clock, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(15);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }
        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
        {
            return new Validation().Require(false, Header, $"'{Header}' must be 1 to {MaxKeyLength} printable characters.").Problem();
        }

        var tenant = http.User.TenantId() ?? throw new InvalidOperationException("Idempotency needs an authenticated district.");
        var id = $"{tenant}/{key}";
        var fingerprint = await Fingerprint(http.Request);
        var session = http.RequestServices.GetRequiredService<IDocumentSession>();
        var now = clock.GetUtcNow();
        var earlier = await session.LoadAsync<IdempotentAnswer>(id, http.RequestAborted);
        if (earlier is not null && earlier.At > now - Window)
        {
            return await Replay(earlier, fingerprint, tenant, http.RequestAborted);
        }

        var pending = new IdempotentAnswer(id, fingerprint, now, null, null, null, null);
        if (earlier is null)
        {
            session.Insert(pending);
        }
        else
        {
            session.Store(pending); // the earlier answer is older than the window: the key is free again
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrencyException or ExistingStreamIdCollisionException)
        {
            // Another request with this key committed first; answer what it answered.
            if (await Load(tenant, id, http.RequestAborted) is { } first)
            {
                return await Replay(first, fingerprint, tenant, http.RequestAborted);
            }
            throw;
        }

        if (session.PendingChanges.AllChangedFor<IdempotentAnswer>().Any())
        {
            // The handler saved nothing (a refusal or a validation problem): nothing to remember, a retry decides again.
            session.Eject(pending);
            return result;
        }
        await Remember(tenant, pending, result, http);
        return result;
    }

    async Task Remember(string tenant, IdempotentAnswer pending, object? result, HttpContext http)
    {
        var inner = result;
        while (inner is INestedHttpResult nested)
        {
            inner = nested.Result;
        }
        var status = (inner as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var value = (inner as IValueHttpResult)?.Value;
        var body = value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
        var location = inner?.GetType().GetProperty("Location")?.GetValue(inner) as string;
        var etag = http.Response.Headers.ETag.ToString();

        await using var session = store.LightweightSession(tenant);
        session.Update(pending with { Status = status, Body = body, Location = location, ETag = etag.Length == 0 ? null : etag });
        await session.SaveChangesAsync(CancellationToken.None);
    }

    async Task<IResult> Replay(IdempotentAnswer first, string fingerprint, string tenant, CancellationToken ct)
    {
        if (first.Fingerprint != fingerprint)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: $"This {Header} was used for a different request.",
                detail: $"A repeat must send the same method, path and body as the first request with this key; use a new key for a new request.");
        }
        var deadline = clock.GetUtcNow() + WaitForFirst;
        while (first.Status is null && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(100, ct);
            first = await Load(tenant, first.Id, ct) ?? first;
        }
        return first.Status is { } status
            ? new ReplayedAnswer(status, first.Body, first.Location, first.ETag)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: $"The first request with this {Header} is still being processed; retry in a moment.");
    }

    async Task<IdempotentAnswer?> Load(string tenant, string id, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        return await session.LoadAsync<IdempotentAnswer>(id, ct);
    }

    static async Task<string> Fingerprint(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    sealed class ReplayedAnswer(int status, string? body, string? location, string? etag) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers[ReplayedHeader] = "true";
            if (location is not null)
            {
                http.Response.Headers.Location = location;
            }
            if (etag is not null)
            {
                http.Response.Headers.ETag = etag;
            }
            if (body is not null)
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.WriteAsync(body, http.RequestAborted);
            }
        }
    }
}

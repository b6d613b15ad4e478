using System.Globalization;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;

namespace Torace.Platform.Api;

/// <summary>
/// A stream-backed resource's version as the client sees it: its <c>ETag</c> is the stream version, and a change that
/// carries <c>If-Match</c> is refused with 412 when someone changed the resource meanwhile.
/// </summary>
public static class Versions
{
    public static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = ETag(version);

    /// <summary>The version named by <c>If-Match</c> (<c>"3"</c> or <c>W/"3"</c>), or null when absent or <c>*</c>.</summary>
    public static long? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return long.TryParse(tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new BadHttpRequestException("'If-Match' must be an ETag this API gave out, such as \"3\".");
    }

    /// <summary>The version of a stream for a read's ETag; 0 when it does not exist.</summary>
    public static async Task<long> Of(IQuerySession session, Guid streamId, CancellationToken ct) =>
        (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version ?? 0;
}

/// <summary>A stream's state after a change, and the version it is now at.</summary>
public sealed record Changed<T>(T State, long Version);

/// <summary>
/// The one way a command changes a stream: load the aggregate (checking <c>If-Match</c>), decide, append with optimistic
/// concurrency, save, and answer the new state with its version as the response's ETag. A decide that answers no
/// events (the command was already done) changes nothing and answers the state as it is. <c>alongside</c> queues what
/// else the change writes in the same transaction (given the state before and the new events).
/// </summary>
public static class StreamChanges
{
    /// <summary>How often a change without If-Match is decided again after another writer appended to the stream first.</summary>
    const int Attempts = 5;

    public static async Task<Changed<T>?> Change<T>(
        this IDocumentSession session, Guid streamId, HttpContext http, Func<T, IReadOnlyList<object>> decide, CancellationToken ct,
        Action<IDocumentSession, T, IReadOnlyList<object>>? alongside = null)
        where T : class
    {
        var expected = Versions.IfMatch(http.Request);
        var current = session;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var stream = await current.Events.FetchForWriting<T>(streamId, ct);
                if (stream.Aggregate is not { } state)
                {
                    return null;
                }
                var fetched = stream.StartingVersion ?? 0;
                if (expected is { } asked && fetched != asked)
                {
                    throw Rejected.PreconditionFailed(fetched);
                }

                var events = decide(state);
                stream.AppendMany(events);
                if (events.Count > 0)
                {
                    alongside?.Invoke(current, state, events);
                }
                try
                {
                    await current.SaveChangesAsync(ct);
                }
                catch (ConcurrencyException) when (expected is not null)
                {
                    throw Rejected.PreconditionFailed(null);
                }
                catch (Exception e) when (attempt < Attempts && (e is ConcurrencyException || Deadlocked(e)))
                {
                    // Another writer (a touchpoint falling due, another caller) appended first. The caller asked for
                    // no version, so this is an independent write: decide again, in a fresh session, on the stream as
                    // it is now.
                    current = await StartAgain(session, current, attempt, ct);
                    continue;
                }

                var version = stream.CurrentVersion ?? fetched;
                http.Response.SetETag(version);
                var changed = version == fetched ? state : await current.LoadAsync<T>(streamId, ct) ?? state;
                return new Changed<T>(changed, version);
            }
        }
        finally
        {
            if (current != session)
            {
                await current.DisposeAsync();
            }
        }
    }

    /// <summary>Two transactions (a request and the touchpoint sweep) locked the same rows in turn; PostgreSQL chose this one to give way.</summary>
    static bool Deadlocked(Exception e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected }
        || (e.InnerException is { } inner && Deadlocked(inner));

    /// <summary>
    /// A fresh session of the same district for the next attempt, holding what else the request queued for the same
    /// transaction (its Idempotency-Key record, moved out of the request's session); the failed one is let go.
    /// </summary>
    static async Task<IDocumentSession> StartAgain(IDocumentSession request, IDocumentSession failed, int attempt, CancellationToken ct)
    {
        var inserted = failed.PendingChanges.InsertsFor<IdempotentAnswer>().ToList();
        var stored = failed.PendingChanges.AllChangedFor<IdempotentAnswer>().Except(inserted).ToList();
        foreach (var answer in inserted.Concat(stored))
        {
            failed.Eject(answer);
        }
        failed.EjectAllPendingChanges();
        if (failed != request)
        {
            await failed.DisposeAsync();
        }
        var fresh = request.DocumentStore.LightweightSession(request.TenantId);
        if (inserted.Count > 0)
        {
            fresh.Insert([.. inserted]);
        }
        if (stored.Count > 0)
        {
            fresh.Store([.. stored]);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), ct);
        return fresh;
    }
}

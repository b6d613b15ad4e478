using JasperFx;
using Marten;
using Marten.Exceptions;
using Torace.Platform.Storage;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Import;

/// <summary>
/// Writes one batch of planned rows in one Marten session: the enrolments the batch names are loaded at once
/// (<c>LoadManyAsync</c>), a new person starts a stream of their own, a changed one is appended to their stream with
/// optimistic concurrency, and an unchanged one is not written. When a parallel import or single enrolment wrote one
/// of those streams first (a stream id collision or a version conflict), the whole batch is decided again on the
/// streams as they are now, so nobody is lost or enrolled twice and no row is half-written.
/// </summary>
public static class ImportWriter
{
    public const int BatchSize = 500;

    /// <summary>
    /// Tries of a batch that meets other writers of its people. Each try decides on the streams as they are then, so a
    /// try fails only while someone is still writing one of the batch's people: a sync of single enrolments of the same
    /// 600 people, 16 at a time, kept a batch conflicting for over a second on a busy machine (6 tries and 1.1 s were not
    /// enough in CI), so tries go on for about 8 s.
    /// </summary>
    const int Attempts = 20;

    /// <summary>20 ms, 80 ms, 180 ms … at most half a second, each ±50 % so racing writers do not retry in step.</summary>
    static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(20 * attempt * attempt, 500) * (0.5 + Random.Shared.NextDouble()));

    /// <summary>
    /// The batch's outcomes, or null when <paramref name="stage"/> says the batch is no longer this writer's to write
    /// (another worker wrote it). <paramref name="stage"/> adds what must commit with the batch (the import's progress).
    /// </summary>
    public static async Task<IReadOnlyList<RowOutcome>?> Write(
        IDocumentStore store, string tenant, Guid programId, IReadOnlyList<PlannedRow> rows,
        Func<IDocumentSession, IReadOnlyList<RowOutcome>, Task<bool>>? stage, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.OpenTenantSession(tenant);
            if (await session.LoadAsync<ProgramState>(programId, ct) is not { } program)
            {
                throw new InvalidOperationException($"Program {programId} is gone from district {tenant}.");
            }
            var outcomes = await Decide(session, program, rows, write: true, ct);
            if (stage is not null && !await stage(session, outcomes))
            {
                return null;
            }
            try
            {
                await session.SaveChangesAsync(ct);
                return outcomes;
            }
            catch (Exception e) when (IsConflict(e) && attempt < Attempts)
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    /// <summary>What the rows would do, without writing (the dry run), in batches of <see cref="BatchSize"/>.</summary>
    public static async Task<IReadOnlyList<RowOutcome>> Preview(IQuerySession session, ProgramState program, IReadOnlyList<PlannedRow> rows, CancellationToken ct)
    {
        var outcomes = new List<RowOutcome>(rows.Count);
        foreach (var batch in rows.Chunk(BatchSize))
        {
            outcomes.AddRange(await Decide(session, program, batch, write: false, ct));
        }
        return outcomes;
    }

    static async Task<IReadOnlyList<RowOutcome>> Decide(IQuerySession session, ProgramState program, IReadOnlyList<PlannedRow> rows, bool write, CancellationToken ct)
    {
        var ids = rows.Where(r => r.Enrolment is not null).Select(r => r.Enrolment!.EnrolmentId).ToArray();
        var existing = ids.Length == 0
            ? new Dictionary<Guid, Enrolment.Enrolment>()
            : (await session.LoadManyAsync<Enrolment.Enrolment>(ct, ids)).ToDictionary(e => e.Id);
        var writer = write ? (IDocumentSession)session : null;
        var outcomes = new List<RowOutcome>(rows.Count);
        foreach (var row in rows)
        {
            var id = row.Enrolment?.EnrolmentId ?? Guid.Empty;
            var known = existing.GetValueOrDefault(id);
            var (outcome, events) = ImportRows.Decide(program, known, row);
            if (writer is not null && events.Count > 0)
            {
                if (known is null)
                {
                    writer.Events.StartStream<Enrolment.Enrolment>(id, events);
                }
                else
                {
                    // Decided again on the stream as it is when fetched for writing, so the append's version check covers the decision.
                    var stream = await writer.Events.FetchForWriting<Enrolment.Enrolment>(id, ct);
                    (outcome, events) = ImportRows.Decide(program, stream.Aggregate, row);
                    stream.AppendMany(events);
                }
            }
            outcomes.Add(outcome);
        }
        return outcomes;
    }

    static bool IsConflict(Exception e) => e switch
    {
        ExistingStreamIdCollisionException or ConcurrencyException or DocumentAlreadyExistsException => true,
        AggregateException many => many.InnerExceptions.All(IsConflict),
        _ => false,
    };
}

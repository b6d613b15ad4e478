using Marten;
using Torace.Platform.Storage;

namespace Torace.Programs.Import;

/// <summary>Wakes the worker when an import is stored, so it starts at once rather than at its next look.</summary>
public sealed class ImportSignal
{
    readonly SemaphoreSlim signal = new(0);

    public void Wake() => signal.Release();

    public async Task Wait(TimeSpan atMost, CancellationToken ct)
    {
        await signal.WaitAsync(atMost, ct);
        while (signal.CurrentCount > 0)
        {
            await signal.WaitAsync(ct); // one look covers every import stored meanwhile
        }
    }
}

/// <summary>
/// Writes the large imports in the background, oldest first, one batch per transaction (the enrolments and the
/// import's progress together). On start it resumes every import a restart interrupted; with several instances, the
/// import's optimistic concurrency lets one write each batch and the other move on.
/// </summary>
public sealed class ImportWorker(IDocumentStore store, ImportSignal signal, TimeProvider clock, ILogger<ImportWorker> log) : BackgroundService
{
    static readonly TimeSpan Look = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WritePending(stoppingToken);
                await signal.Wait(Look, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The import worker failed; looking again in {Seconds} s", Look.TotalSeconds);
                await Task.Delay(Look, stoppingToken);
            }
        }
    }

    async Task WritePending(CancellationToken ct)
    {
        IReadOnlyList<EnrolmentImport> pending;
        await using (var query = store.QuerySession())
        {
            pending = await query.Query<EnrolmentImport>()
                .Where(i => i.AnyTenant() && (i.Status == ImportStatus.Queued || i.Status == ImportStatus.Running))
                .OrderBy(i => i.CreatedAt)
                .ToListAsync(ct);
        }
        foreach (var import in pending)
        {
            try
            {
                await Write(import, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Import {ImportId} failed", import.Id);
                await using var session = store.OpenTenantSession(import.Tenant);
                if (await session.LoadAsync<EnrolmentImport>(import.Id, ct) is { Status: not (ImportStatus.Completed or ImportStatus.Failed) } current)
                {
                    session.Store(current with
                    {
                        Status = ImportStatus.Failed,
                        FinishedAt = clock.GetUtcNow(),
                        Error = $"The import stopped after {current.Done:N0} of {current.Total:N0} rows: {e.Message} The rows written so far stay; import the file again to finish (written rows answer unchanged).",
                    });
                    await session.SaveChangesAsync(ct);
                }
            }
        }
    }

    async Task Write(EnrolmentImport import, CancellationToken ct)
    {
        for (var number = import.ChunksDone; number < import.Chunks; number++)
        {
            ImportChunk chunk;
            await using (var query = store.QuerySession(import.Tenant))
            {
                chunk = await query.LoadAsync<ImportChunk>(EnrolmentImport.ChunkId(import.Id, number), ct)
                    ?? throw new InvalidOperationException($"Batch {number} of the import's rows is missing.");
            }
            var expected = number;
            var written = await ImportWriter.Write(store, import.Tenant, import.ProgramId, chunk.Rows, async (session, outcomes) =>
            {
                // Read in the writing session: its optimistic concurrency makes a second worker's copy of this batch fail.
                if (await session.LoadAsync<EnrolmentImport>(import.Id, ct) is not { } current || current.ChunksDone != expected
                    || current.Status is ImportStatus.Completed or ImportStatus.Failed)
                {
                    return false;
                }
                session.Store(chunk with { Outcomes = outcomes });
                session.Store(current.After(outcomes, clock.GetUtcNow()));
                return true;
            }, ct);
            if (written is null)
            {
                return; // another worker has it
            }
        }
    }
}

using Hangfire;
using Marten;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Templates;
using Torace.Platform.Storage;

namespace Torace.Notifications.Digests;

/// <summary>
/// The daily digest (a Hangfire recurring job, every 15 minutes by default): for each district whose digest hour has
/// come today and whose digest has not gone out, one email per program with news since the last digest, to each
/// recipient. The delivery log keys each email by (program and day, recipient), so a job that dies half-way and runs
/// again sends only what is missing; a mail server out of reach leaves the day uncovered and the next run tries again.
/// </summary>
public sealed class DigestJob(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, TimeProvider clock, ILogger<DigestJob> log)
{
    public const string RecurringJobId = "daily-digest";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)] // the next run is the retry
    public async Task Send(CancellationToken ct)
    {
        IReadOnlyList<DigestSettings> districts;
        await using (var query = store.QuerySession())
        {
            districts = await query.Query<DigestSettings>().Where(s => s.AnyTenant() && s.Id == DigestSettings.DocumentId).ToListAsync(ct);
        }
        var now = clock.GetUtcNow();
        foreach (var settings in districts)
        {
            try
            {
                await SendFor(settings, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One district's failure (its data, its template) never keeps the next district's digest from going out.
                log.LogError(e, "The digest of {Tenant} could not be sent; the next run tries again", settings.TenantId);
            }
        }
    }

    async Task SendFor(DigestSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        if (settings.Recipients.Count == 0 || Digest.DueDay(now, settings.Hour, settings.TimeZone) is not { } day
            || Digest.Covered(settings.CoveredUntil, day, settings.TimeZone))
        {
            return;
        }
        var since = settings.CoveredUntil ?? now.AddDays(-1);
        await using var session = store.OpenTenantSession(settings.TenantId);
        var (items, failed) = await News(session, since, now, null, ct);
        var programs = items.Select(i => i.ProgramId).Union(failed.Select(f => f.ProgramId)).ToList();
        foreach (var program in programs)
        {
            var messageId = NameBasedId.From($"digest|{settings.TenantId}|{program:N}|{day:yyyy-MM-dd}");
            foreach (var email in Digest.Compose(program, [.. items.Where(i => i.ProgramId == program)], [.. failed.Where(f => f.ProgramId == program)],
                settings.Recipients, day, settings.TimeZone, await templates.For(settings.TenantId, program, ct)))
            {
                await deliveries.SendOnce(settings.TenantId, program, messageId, email, lastTry: false, ct);
            }
        }
        // Only the settings' own version of the day moves: a change of recipients meanwhile is kept.
        var current = await session.LoadAsync<DigestSettings>(DigestSettings.DocumentId, ct) ?? settings;
        session.Store(current with { CoveredUntil = now });
        await session.SaveChangesAsync(ct);
        log.LogInformation("Sent the {Day} digest of {Tenant}: {Programs} programs", day, settings.TenantId, programs.Count);
    }

    /// <summary>What a digest tells for the time after <paramref name="since"/> up to <paramref name="until"/>: its notes and the emails that failed (not digests), of one program or all.</summary>
    internal static async Task<(IReadOnlyList<DigestItem> Items, IReadOnlyList<Delivery> Failed)> News(
        IQuerySession session, DateTimeOffset since, DateTimeOffset until, Guid? programId, CancellationToken ct)
    {
        var items = session.Query<DigestItem>().Where(i => i.At > since && i.At <= until);
        var failed = session.Query<Delivery>()
            .Where(d => d.Status == DeliveryState.Failed && d.FailedAt > since && d.FailedAt <= until && d.Kind != Digest.Kind);
        if (programId is { } program)
        {
            items = items.Where(i => i.ProgramId == program);
            failed = failed.Where(d => d.ProgramId == program);
        }
        return (await items.OrderBy(i => i.At).ToListAsync(ct), await failed.ToListAsync(ct));
    }
}

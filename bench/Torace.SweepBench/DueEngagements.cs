using Marten;
using Npgsql;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Scheduling;
using Torace.Scheduling.Engagements;
using Torace.Scheduling.Touchpoints;

namespace Torace.SweepBench;

/// <summary>
/// Engagements whose session reminders (the mentor's and the mentee's) all fall due at one moment, written as
/// SweepAtScaleTests writes them: a match with one session 24 h after that moment and no reflections, scheduled by
/// <see cref="EngagementPlan.Schedule"/> and stored as the engagement's first event, then the engagement's alarms
/// (<see cref="EngagementAlarms.Of"/>, so rows and state agree) in one bulk insert per chunk instead of the service's
/// statement per engagement, which would make the set-up, not the sweep, the slow part.
/// </summary>
public static class DueEngagements
{
    public const string Tenant = "demo-a";
    const int Chunk = 1_000;

    /// <summary>Writes the engagements under <paramref name="programId"/>; answers how many reminders fall due at <paramref name="due"/>.</summary>
    public static async Task<int> Write(IDocumentStore store, NpgsqlDataSource database, Guid programId, int engagements, DateTimeOffset due, CancellationToken ct)
    {
        var reminders = 0;
        for (var written = 0; written < engagements; written += Chunk)
        {
            var rows = new List<(Guid Alarm, Guid Engagement, DateTimeOffset At, string Kind)>();
            await using (var session = store.LightweightSession(Tenant))
            {
                for (var i = written; i < Math.Min(engagements, written + Chunk); i++)
                {
                    var match = new MatchProposed(Tenant, programId, Guid.NewGuid(), Guid.NewGuid(), "Sweep bench",
                        new Participant(Guid.NewGuid(), "M", "m@a.org", "A", "America/Chicago"), [new Participant(Guid.NewGuid(), "E", "e@a.org", "B", "America/New_York")],
                        [new SessionPlan(1, "virtual", due + EngagementPlan.ReminderLead)], false, false, [], new MatchMessage("x", null), 1, [], DateTimeOffset.UtcNow,
                        EngagementRules.Default with { QuietHours = false });
                    var scheduled = EngagementPlan.Schedule(match, Guid.NewGuid, DateTimeOffset.UtcNow);
                    session.Events.StartStream<Engagement>(scheduled.EngagementId, scheduled);
                    rows.AddRange(EngagementAlarms.Of(Engagement.Create(scheduled), DateTimeOffset.UtcNow).Select(a => (a.Id, scheduled.EngagementId, a.At, a.Kind)));
                }
                await session.SaveChangesAsync(ct);
            }
            await InsertRows(database, rows, ct);
            reminders += rows.Count(r => r.Kind == AlarmKinds.Due);
        }
        return reminders;
    }

    static async Task InsertRows(NpgsqlDataSource database, List<(Guid Alarm, Guid Engagement, DateTimeOffset At, string Kind)> rows, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var insert = new NpgsqlCommand($"""
            insert into {SchedulingService.Name}.{DueTable.TableName} (alarm_id, tenant_id, engagement_id, kind, due_at)
            select a.id, '{Tenant}', a.engagement, a.kind, a.due_at from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) as a(id, engagement, kind, due_at)
            """, connection);
        insert.Parameters.AddWithValue(rows.Select(r => r.Alarm).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.Engagement).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.Kind).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.At.UtcDateTime).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }
}

using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Programs.History;
using Torace.Programs.Lifecycle;
using Torace.Programs.People;

namespace Torace.Programs.Reports;

public static class ReportsApi
{
    const string Description = "Worked out from documents Programs keeps up to date from its own events and the events it consumes. "
        + "With `Accept: text/csv` the same figures as CSV, one line per figure: section (all, site, role, jobRole, mentorLoad), group, metric, value.";

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/report", ForProgram)
            .WithTags("Reports").WithName("GetProgramReport")
            .WithSummary("A program's report: enrolled, matched, waitlisted, time to match (p50, p90), sessions, touchpoints on time / late / missed, reflections, by site and by role; the mentor load.")
            .WithDescription(Description)
            .ProducesCsv();
        api.MapGet("/reports/district", ForDistrict)
            .WithTags("Reports").WithName("GetDistrictReport")
            .WithSummary("The district's report over all its programs, the same figures as a program's; a person mentoring in several programs is one mentor in the load.")
            .WithDescription(Description)
            .ProducesCsv();
        return api;
    }

    static async Task<Results<Ok<ReportResponse>, FileContentHttpResult, NotFound>> ForProgram(
        Guid programId, IQuerySession session, TimeProvider clock, HttpRequest request, CancellationToken ct)
    {
        if (await session.LoadAsync<ProgramState>(programId, ct) is null)
        {
            return TypedResults.NotFound();
        }
        var facts = new ReportFacts(
            await session.Query<Enrolment.Enrolment>().Where(e => e.Profile.ProgramId == programId).ToListAsync(ct),
            await session.Query<MatchRecord>().Where(m => m.ProgramId == programId).ToListAsync(ct),
            await session.Query<EngagementRecord>().Where(e => e.ProgramId == programId).ToListAsync(ct),
            await LastMatchingRequested(session.Query<TimelineEntry>().Where(e => e.ProgramId == programId), ct),
            Programs: 1);
        var report = ReportFigures.Of(programId, facts, clock.GetUtcNow());
        return CsvExport.Wanted(request) ? Csv(report, $"program-{programId}-report.csv") : TypedResults.Ok(report);
    }

    static async Task<Results<Ok<ReportResponse>, FileContentHttpResult>> ForDistrict(
        IQuerySession session, TimeProvider clock, HttpRequest request, CancellationToken ct)
    {
        var facts = new ReportFacts(
            await session.Query<Enrolment.Enrolment>().ToListAsync(ct),
            await session.Query<MatchRecord>().ToListAsync(ct),
            await session.Query<EngagementRecord>().ToListAsync(ct),
            await LastMatchingRequested(session.Query<TimelineEntry>(), ct),
            Programs: await session.Query<ProgramState>().CountAsync(ct));
        var report = ReportFigures.Of(null, facts, clock.GetUtcNow());
        return CsvExport.Wanted(request) ? Csv(report, "district-report.csv") : TypedResults.Ok(report);
    }

    /// <summary>When each program was last asked to match: a mentee enrolled by then and in no match waits for a place.</summary>
    static async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> LastMatchingRequested(IQueryable<TimelineEntry> entries, CancellationToken ct) =>
        (await entries.Where(e => e.Type == nameof(MatchingRequested)).ToListAsync(ct))
            .GroupBy(e => e.ProgramId).ToDictionary(g => g.Key, g => g.Max(e => e.At));

    static FileContentHttpResult Csv(ReportResponse report, string name) =>
        CsvExport.File(name, ["section", "group", "metric", "value"], Lines(report));

    static IEnumerable<IReadOnlyList<object?>> Lines(ReportResponse report)
    {
        foreach (var (section, rows) in new[] { ("all", (IReadOnlyList<ReportRow>)[report.Totals]), ("site", report.BySite), ("role", report.ByRole), ("jobRole", report.ByJobRole) })
        {
            foreach (var row in rows)
            {
                foreach (var (metric, value) in Figures(row))
                {
                    yield return [section, row.Group, metric, value];
                }
            }
        }
        foreach (var bucket in report.MentorLoad)
        {
            yield return ["mentorLoad", bucket.Mentees.ToString(CultureInfo.InvariantCulture), "mentors", bucket.Mentors];
        }
    }

    static IEnumerable<(string Metric, object? Value)> Figures(ReportRow row) =>
    [
        ("enrolled", row.Enrolled), ("matched", row.Matched), ("waitlisted", row.Waitlisted),
        ("timeToMatchP50Hours", row.TimeToMatchP50Hours), ("timeToMatchP90Hours", row.TimeToMatchP90Hours),
        ("sessionsCompleted", row.SessionsCompleted), ("touchpointsOnTime", row.TouchpointsOnTime), ("touchpointsLate", row.TouchpointsLate),
        ("touchpointsMissed", row.TouchpointsMissed), ("reflectionsSubmitted", row.ReflectionsSubmitted),
    ];
}

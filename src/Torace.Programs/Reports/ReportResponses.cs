namespace Torace.Programs.Reports;

/// <summary>
/// One group's numbers (a site, a role, a job role, or everyone). <c>enrolled</c>, <c>matched</c> and <c>waitlisted</c>
/// count active enrolments; waitlisted are mentees a matching run covered who are in no live match. Time to match is
/// from enrolling to the first published match, in hours. Sessions count once for each person at them; touchpoints
/// (not reminders) count once for each person they were due from: on time, late, or missed (past due, never submitted).
/// </summary>
public sealed record ReportRow(
    string Group,
    int Enrolled,
    int Matched,
    int Waitlisted,
    double? TimeToMatchP50Hours,
    double? TimeToMatchP90Hours,
    int SessionsCompleted,
    int TouchpointsOnTime,
    int TouchpointsLate,
    int TouchpointsMissed,
    int ReflectionsSubmitted);

/// <summary>How many mentors carry this many mentees (in live matches).</summary>
public sealed record MentorLoadBucket(int Mentees, int Mentors);

/// <summary>A program's or a district's report; <c>programId</c> is absent for the district.</summary>
public sealed record ReportResponse(
    Guid? ProgramId,
    DateTimeOffset GeneratedAt,
    int Programs,
    int SessionsCompleted,
    ReportRow Totals,
    IReadOnlyList<ReportRow> BySite,
    IReadOnlyList<ReportRow> ByRole,
    IReadOnlyList<ReportRow> ByJobRole,
    IReadOnlyList<MentorLoadBucket> MentorLoad);

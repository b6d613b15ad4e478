using System.ComponentModel.DataAnnotations;
using Torace.Platform.Api;

namespace Torace.Programs.Import;

/// <summary>
/// What became of one row: <c>row</c> is its number in the file from 1 (the header not counted; in a JSON array, the
/// item's position), <c>enrolmentId</c> the enrolment it created, changed or left as it was, <c>errors</c> why it was
/// rejected, field by field, in the single enrolment endpoint's words.
/// </summary>
public sealed record ImportRowResult(
    int Row,
    string? Role,
    string? ExternalId,
    Guid? EnrolmentId,
    [property: AllowedValues("created", "updated", "unchanged", "rejected")] string Result,
    IReadOnlyDictionary<string, string[]>? Errors)
{
    public static ImportRowResult From(RowOutcome o) => new(o.Row, o.Role, o.ExternalId, o.EnrolmentId, o.Result, o.Errors);
}

public sealed record ImportCounts(int Created, int Updated, int Unchanged, int Rejected)
{
    public static ImportCounts Of(IReadOnlyList<RowOutcome> outcomes) => new(
        outcomes.Count(o => o.Result == ImportResults.Created), outcomes.Count(o => o.Result == ImportResults.Updated),
        outcomes.Count(o => o.Result == ImportResults.Unchanged), outcomes.Count(o => o.Result == ImportResults.Rejected));
}

/// <summary>An import of up to 1,000 rows (or any dry run), answered at once: every row's result.</summary>
public sealed record ImportResponse(bool DryRun, int Total, ImportCounts Counts, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<ImportRowResult> Rows);

/// <summary>A large import was accepted; poll its Location until <c>status</c> is completed or failed.</summary>
public sealed record ImportAccepted(Guid Id, [property: AllowedValues("queued", "running", "completed", "failed")] string Status, int Total);

/// <summary>
/// A large import: its progress (<c>done</c> of <c>total</c> rows, counts per result) and the results of the rows
/// written so far, a page at a time (<c>limit</c>, <c>cursor</c>, <c>rows.next</c>).
/// </summary>
public sealed record ImportStatusResponse(
    Guid Id,
    Guid ProgramId,
    [property: AllowedValues("queued", "running", "completed", "failed")] string Status,
    int Total,
    int Done,
    ImportCounts Counts,
    IReadOnlyList<string> IgnoredColumns,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    Page<ImportRowResult> Rows);

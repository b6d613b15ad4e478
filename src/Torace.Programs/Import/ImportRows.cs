using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Import;

public static class ImportResults
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";
    public static readonly string[] All = [Created, Updated, Unchanged, Rejected];
}

/// <summary>
/// A row checked on its own and against the rows above it: the enrolment it asks for, or the field errors that reject
/// it (the single enrolment endpoint's messages, a field that did not parse, or an earlier row enrolling the same person).
/// </summary>
public sealed record PlannedRow(int Row, string? Role, string? ExternalId, ParticipantEnrolled? Enrolment, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>What became of one row: created, updated, unchanged or rejected (with its field errors).</summary>
public sealed record RowOutcome(int Row, string? Role, string? ExternalId, Guid? EnrolmentId, string Result, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>The import's decisions, pure: rows → planned enrolments, and each planned enrolment against the one the person already has.</summary>
public static class ImportRows
{
    public static IReadOnlyList<PlannedRow> Plan(Guid programId, DateTimeOffset now, IReadOnlyList<ImportLine> lines)
    {
        var firstRowOf = new Dictionary<(string Role, string ExternalId), int>();
        var planned = new List<PlannedRow>(lines.Count);
        foreach (var line in lines)
        {
            var request = line.Request;
            var validation = new Validation();
            foreach (var (field, message) in line.ParseErrors)
            {
                validation.Add(field, message);
            }
            var enrolled = request.ToEvent(programId, now, validation);
            if (request.Role is { } role && Roles.All.Contains(role) && !string.IsNullOrWhiteSpace(request.ExternalId))
            {
                var person = (role, request.ExternalId.Trim().ToLowerInvariant());
                if (firstRowOf.TryGetValue(person, out var first))
                {
                    validation.Add("externalId", $"Row {first} already enrols this person ('{request.ExternalId.Trim()}' as {role}); only the first row is imported.");
                    enrolled = null;
                }
                else
                {
                    firstRowOf[person] = line.Row;
                }
            }
            planned.Add(validation.IsValid && enrolled is not null
                ? new PlannedRow(line.Row, enrolled.Role, enrolled.ExternalId, enrolled, null)
                : new PlannedRow(line.Row, request.Role, request.ExternalId?.Trim(), null, Errors(validation)));
        }
        return planned;
    }

    /// <summary>
    /// One planned row against the enrolment the person already has (or none), as the single endpoint decides it; a
    /// refusal (the program closed meanwhile, a finished program's enrolments) rejects the row, not the import.
    /// </summary>
    public static (RowOutcome Outcome, IReadOnlyList<object> Events) Decide(ProgramState program, Enrolment.Enrolment? existing, PlannedRow row)
    {
        if (row.Enrolment is not { } enrolled)
        {
            return (Rejection(row, row.Errors ?? new Dictionary<string, string[]>()), []);
        }
        try
        {
            var (outcome, events) = EnrolmentDecisions.Enrol(program, existing, enrolled);
            var result = outcome switch
            {
                EnrolOutcome.Created => ImportResults.Created,
                EnrolOutcome.Updated => ImportResults.Updated,
                _ => ImportResults.Unchanged,
            };
            return (new RowOutcome(row.Row, row.Role, row.ExternalId, enrolled.EnrolmentId, result, null), events);
        }
        catch (Rejected refused)
        {
            return (Rejection(row, new Dictionary<string, string[]> { ["program"] = [refused.Message] }), []);
        }
    }

    public static RowOutcome Rejection(PlannedRow row, IReadOnlyDictionary<string, string[]> errors) =>
        new(row.Row, row.Role, row.ExternalId, null, ImportResults.Rejected, errors);

    static Dictionary<string, string[]> Errors(Validation validation) =>
        validation.Problem().ProblemDetails.Errors.ToDictionary(e => e.Key, e => e.Value);
}

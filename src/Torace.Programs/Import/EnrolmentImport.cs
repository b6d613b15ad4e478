namespace Torace.Programs.Import;

public static class ImportStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public static readonly string[] All = [Queued, Running, Completed, Failed];
}

/// <summary>
/// A large import as the background worker keeps it (a stored document, never an answer): its progress, advanced in
/// the same transaction as each batch's enrolments, so a restart resumes at the first batch not yet written. The rows
/// live in <see cref="ImportChunk"/>s of <see cref="ImportWriter.BatchSize"/>.
/// </summary>
public sealed record EnrolmentImport(
    Guid Id,
    string Tenant,
    Guid ProgramId,
    string Status,
    int Total,
    int Done,
    int Chunks,
    int ChunksDone,
    int Created,
    int Updated,
    int Unchanged,
    int Rejected,
    IReadOnlyList<string> IgnoredColumns,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public static string ChunkId(Guid importId, int number) => $"{importId:N}/{number:D3}";

    /// <summary>The import after one more batch was written.</summary>
    public EnrolmentImport After(IReadOnlyList<RowOutcome> outcomes, DateTimeOffset now)
    {
        var done = ChunksDone + 1 == Chunks;
        return this with
        {
            Status = done ? ImportStatus.Completed : ImportStatus.Running,
            Done = Done + outcomes.Count,
            ChunksDone = ChunksDone + 1,
            Created = Created + outcomes.Count(o => o.Result == ImportResults.Created),
            Updated = Updated + outcomes.Count(o => o.Result == ImportResults.Updated),
            Unchanged = Unchanged + outcomes.Count(o => o.Result == ImportResults.Unchanged),
            Rejected = Rejected + outcomes.Count(o => o.Result == ImportResults.Rejected),
            FinishedAt = done ? now : null,
        };
    }
}

/// <summary>One batch of an import's rows, planned when the file arrived, and what became of each once written.</summary>
public sealed record ImportChunk(string Id, Guid ImportId, int Number, IReadOnlyList<PlannedRow> Rows, IReadOnlyList<RowOutcome>? Outcomes);

namespace Torace.Matching.Matches;

/// <summary>Matches published for a program, one event per run or placement.</summary>
public sealed record MatchesPublished(Guid ProgramId, Guid RunId, IReadOnlyList<Guid> MatchIds, DateTimeOffset PublishedAt);

/// <summary>The program opened in Matching, or a candidate joined or left its pool.</summary>
public sealed record PoolChanged(Guid ProgramId, Guid? EnrolmentId, string Change, DateTimeOffset ChangedAt)
{
    public const string Opened = "opened";
    /// <summary>Kept for ledgers written before arrivals stopped appending to them.</summary>
    public const string Enrolled = "enrolled";
    public const string Withdrawn = "withdrawn";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A program's ledger: its opening, every departure from its pool and every publish (a coordinator's or a placement's)
/// appends to it with optimistic concurrency. Two consumers that could each change who is placed (a coordinator
/// publishing while a placement runs or someone withdraws) therefore never decide on stale state: the second conflicts,
/// retries and sees the first. Arrivals do not write it (a sync's burst would serialise on it); each arrival asks for a
/// placement, which fetches the ledger first and so reads everyone who arrived before it.
/// </summary>
public sealed record ProgramLedger(Guid Id, int Publishes, int Matches, int PoolChanges)
{
    public bool HasPublished => Publishes > 0;

    public static ProgramLedger Create(MatchesPublished e) => new(e.ProgramId, 1, e.MatchIds.Count, 0);

    public static ProgramLedger Create(PoolChanged e) => new(e.ProgramId, 0, 0, 1);

    public ProgramLedger Apply(MatchesPublished e) => this with { Publishes = Publishes + 1, Matches = Matches + e.MatchIds.Count };

    public ProgramLedger Apply(PoolChanged e) => this with { PoolChanges = PoolChanges + 1 };
}

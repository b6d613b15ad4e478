namespace Torace.Matching.Matches;

/// <summary>Matches published for a program, one event per run or placement.</summary>
public sealed record MatchesPublished(Guid ProgramId, Guid RunId, IReadOnlyList<Guid> MatchIds, DateTimeOffset PublishedAt);

/// <summary>
/// A program's ledger of published matches. Every publish appends to it with optimistic concurrency, so two
/// publishes (a coordinator and a waitlist placement, say) cannot both spend the same mentor's last place.
/// </summary>
public sealed record ProgramLedger(Guid Id, int Publishes, int Matches)
{
    public static ProgramLedger Create(MatchesPublished e) => new(e.ProgramId, 1, e.MatchIds.Count);

    public ProgramLedger Apply(MatchesPublished e) => this with { Publishes = Publishes + 1, Matches = Matches + e.MatchIds.Count };
}

namespace Torace.Matching.Engine;

/// <summary>A person the engine can place. <see cref="Capacity"/> counts mentees, for mentors only.</summary>
public sealed record Person(Guid Id, string ExternalId, string Site, IReadOnlyList<string> Topics, string Modality, int Capacity = 0);

public sealed record PoolRules(string Sites, int GroupSize);

public sealed record Proposal(Guid MentorId, IReadOnlyList<Guid> MenteeIds, double Score, IReadOnlyList<string> Reasons);

public sealed record Unmatched(Guid EnrolmentId, string Reason);

public sealed record MatchingResult(IReadOnlyList<Proposal> Proposals, IReadOnlyList<Unmatched> Unmatched);

public static class UnmatchedReasons
{
    public const string NoEligibleMentor = "no-eligible-mentor-in-pool";
    public const string CapacityExhausted = "capacity-exhausted";
}

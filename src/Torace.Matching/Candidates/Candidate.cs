using Torace.Contracts;
using Torace.Matching.Engine;

namespace Torace.Matching.Candidates;

/// <summary>An enrolled person as Matching sees them: the profile snapshot taken at enrolment.</summary>
public sealed record Candidate(
    Guid Id,
    Guid ProgramId,
    string Role,
    string ExternalId,
    string Name,
    string Email,
    string Site,
    IReadOnlyList<string> Topics,
    string Modality,
    string TimeZone,
    int Capacity,
    DateTimeOffset EnrolledAt,
    bool Active,
    string? JobRole = null,
    int YearsExperience = 0,
    IReadOnlyList<string>? Availability = null,
    IReadOnlyList<string>? Requests = null,
    DateTimeOffset? ProfileChangedAt = null)
{
    public const string Mentor = "mentor";

    /// <summary>When the profile Matching holds was taken: a later change wins over an earlier one whichever arrives first.</summary>
    public DateTimeOffset ProfileAt => ProfileChangedAt ?? EnrolledAt;
    public const string Mentee = "mentee";

    public Participant AsParticipant() => new(Id, Name, Email, Site, TimeZone);

    /// <summary>The engine's view; <paramref name="capacity"/> is what the mentor may still take in this program.</summary>
    public Person AsPerson(DateTimeOffset now, int capacity = 0) => new(
        Id, ExternalId, Site, Topics, Modality, capacity, JobRole ?? "", YearsExperience,
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? (int)zone.GetUtcOffset(now).TotalMinutes : 0,
        (Availability ?? []).Select(slot => WeeklySlots.All.ToList().IndexOf(slot)).Where(i => i >= 0).Aggregate(0L, (bits, i) => bits | 1L << i),
        Requests);
}

/// <summary>What Matching keeps of a program once it opens: the rules and the facts a match must carry.</summary>
public sealed record MatchingProgram(
    Guid Id,
    string Name,
    string Kind,
    string Topic,
    int GroupSize,
    IReadOnlyList<SessionPlan> Sessions,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    PoolPlan Pool,
    MatchingPlan Matching,
    MatchMessage Message)
{
    public Guid ProgramId => Id;

    /// <summary>How the program's engagements are chased; carried on each match for Scheduling (null: the defaults).</summary>
    public EngagementRules? Reminders { get; init; }

    /// <summary>The coordinator cancelled the program: nobody is placed in it any more.</summary>
    public bool Cancelled { get; init; }

    public bool Continuous => Matching.Mode == "continuous";

    public PoolRules PoolRules => new(Pool.Sites, GroupSize)
    {
        MentorRoles = Pool.MentorRoles,
        MenteeRoles = Pool.MenteeRoles,
        IncludedSites = Pool.IncludedSites,
        Exclusions = [.. Pool.Exclusions.Select(x => new PersonPair(x.Mentor, x.Mentee))],
        NoRepeatPairing = Pool.NoRepeatPairing,
        MaxConcurrentMentees = Pool.MaxConcurrentMentees,
    };
}

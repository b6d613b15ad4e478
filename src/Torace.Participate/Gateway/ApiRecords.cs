namespace Torace.Participate.Gateway;

// The public API's answers, as far as the participant pages read them (the gateway's OpenAPI document has them whole).

public sealed record LinkInfo(string District, Guid EnrolmentId, string Action, string? Target, DateTimeOffset ExpiresAt);

/// <summary>How the district's pages look: its name and colour (white text on it passes WCAG AA), and its logo.</summary>
public sealed record BrandView(string? DisplayName, string Colour, string? LogoUrl);

public sealed record MatchedPerson(Guid EnrolmentId, string Name, string Site, string Status);

public sealed record MatchView(Guid Id, Guid ProgramId, MatchedPerson Mentor, IReadOnlyList<MatchedPerson> Mentees, string Status)
{
    public IEnumerable<MatchedPerson> People => Mentees.Prepend(Mentor);
}

public sealed record EngagementPerson(Guid EnrolmentId, string Name, string Site, string TimeZone);

public sealed record SessionView(
    int Number, string Modality, DateTimeOffset? StartsAt, string Status, DateTimeOffset? ProposedStartsAt, string? ProposedModality,
    Guid? ProposedBy, string? ProposalReason);

public sealed record TouchpointView(
    Guid Id, string Kind, int? SessionNumber, Guid RecipientId, DateTimeOffset? DueAt, string Status, string? Prompt, string? Response,
    string? Link, DateTimeOffset? SubmittedAt, string? Feedback);

public sealed record EngagementView(
    Guid Id, Guid ProgramId, string? ProgramName, string Status, IReadOnlyList<EngagementPerson> Mentors, IReadOnlyList<EngagementPerson> Mentees,
    IReadOnlyList<SessionView> Sessions, IReadOnlyList<TouchpointView> Touchpoints)
{
    public IEnumerable<EngagementPerson> People => Mentors.Concat(Mentees);

    public EngagementPerson? Person(Guid enrolmentId) => People.FirstOrDefault(p => p.EnrolmentId == enrolmentId);
}

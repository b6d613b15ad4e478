namespace Torace.Contracts;

/// <summary>Every integration event belongs to one district (tenant) and one program.</summary>
public interface IDistrictEvent
{
    string TenantId { get; }
    Guid ProgramId { get; }
}

/// <summary>A person as the consumers of an event need them: no look-ups back into the publisher.</summary>
public sealed record Participant(Guid EnrolmentId, string Name, string Email, string Site, string TimeZone);

public sealed record SessionPlan(int Number, string Modality, DateTimeOffset? StartsAt);

public sealed record TouchpointPlan(int AfterSession, string Kind, int DueAfterDays);

public sealed record MatchMessage(string Text, string? GuideUrl);

namespace Torace.Admin.Gateway;

// The public API's answers, with the fields the admin's pages read (the gateway's OpenAPI document has them all).

/// <summary>One page of a list as the public API answers it.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, long? Total);

/// <summary>An answer with the ETag it came with (the resource's version), for a change sent with If-Match.</summary>
public sealed record Versioned<T>(T Value, string? ETag);

/// <summary>A program as the admin's pages show and edit it (the fields of the API's ProgramResponse they need).</summary>
public sealed record ProgramItem(Guid Id, string Status, string Name, string Kind, string Topic, IReadOnlyList<ProgramSession> Sessions, int GroupSize,
    bool PreReflection, bool PostReflection, ProgramMessage Message, int Mentors, int Mentees, DateTimeOffset CreatedAt,
    string Format, bool EnrolmentOpen, string? CancellationReason, IReadOnlyList<ProgramTouchpoint> Touchpoints, ProgramPool Pool, ProgramMatching Matching,
    int? SessionMinutes = null)
{
    public DateTimeOffset? FirstSession => Sessions.Select(s => s.StartsAt).Where(s => s is not null).Min();
}

public sealed record ProgramMessage(string Text, string? GuideUrl);

public sealed record ProgramSession(int Number, string Modality, DateTimeOffset? StartsAt);

public sealed record ProgramTouchpoint(int AfterSession, string Kind, int DueAfterDays);

public sealed record ProgramExcludedPair(string Mentor, string Mentee);

/// <summary>The program's pool rules; the admin edits the sites rule and sends the others back as they were.</summary>
public sealed record ProgramPool(string Sites, IReadOnlyList<string>? MentorRoles = null, IReadOnlyList<string>? MenteeRoles = null,
    IReadOnlyList<string>? IncludedSites = null, IReadOnlyList<ProgramExcludedPair>? Exclusions = null, bool NoRepeatPairing = false, int? MaxConcurrentMentees = null);

/// <summary>How the program is matched; the admin edits review and rounds and sends the mode and weights back as they were.</summary>
public sealed record ProgramMatching(string Review, int Rounds, string Mode = "batch", IReadOnlyDictionary<string, int>? Weights = null);

/// <summary>A built-in template as GET /program-templates answers it: the one definition of the formats, with the district's guide link for each.</summary>
public sealed record ProgramTemplateItem(string Id, string Title, string Explanation, string Kind, string Format, int Sessions, int DaysBetweenSessions,
    int GroupSize, bool PreReflection, bool PostReflection, string TouchpointKind, string PoolSites, int Rounds, string GuideLabel, string? GuideUrl,
    string MessageText);

/// <summary>The district's 1-, 2- and 3-session conversation guide links.</summary>
public sealed record GuidesItem(string? OneSession, string? TwoSession, string? ThreeSession);

public sealed record BrandingItem(string? DisplayName, string Colour, string? LogoUrl, string? ReplyTo);

/// <summary>One kind of email's wording in Liquid, as the district uses it (<c>Source</c>: torace, district or program) and as Torace words it.</summary>
public sealed record EmailTemplateItem(
    string Kind, string Description, string Source, EmailTemplateBodyItem Template, EmailTemplateBodyItem Default,
    IReadOnlyList<TemplateVariableItem> Variables, DateTimeOffset? UpdatedAt);

public sealed record EmailTemplateBodyItem(string? Subject, string? Html, string? Text);

public sealed record TemplateVariableItem(string Name, string Description);

public sealed record EmailPreviewItem(string Kind, string Subject, string Html, string Text);

public sealed record DigestSettingsItem(IReadOnlyList<string> Recipients, int Hour, string TimeZone, DateTimeOffset? CoveredUntil);

public sealed record EnrolmentItem(Guid Id, string Role, string ExternalId, string Name, string Email, string Site, IReadOnlyList<string> Topics,
    string Modality, int? Capacity, string? JobRole, string Status, DateTimeOffset EnrolledAt, DateTimeOffset? RemindersStoppedAt = null);

public sealed record RunAccepted(Guid Id, string Status);

public sealed record RunSummaryItem(Guid Id, string Status, string Trigger, DateTimeOffset StartedAt, int ProposalCount, int UnmatchedCount, int MatchCount, string? Error);

public sealed record FactorItem(string Name, int Weight, int Cost, string? Detail);

public sealed record ProposalItem(Guid Id, Guid MentorId, IReadOnlyList<Guid> MenteeIds, double Score, IReadOnlyList<string> Reasons, IReadOnlyList<FactorItem> Factors, int Round, bool Pinned, string Source);

public sealed record UnmatchedItem(Guid EnrolmentId, string Reason, int Round);

public sealed record RunItem(Guid Id, string Status, DateTimeOffset StartedAt, int CoveredEnrolments, string? Error, IReadOnlyList<ProposalItem> Proposals,
    IReadOnlyList<UnmatchedItem> Unmatched, int ProposalCount, int UnmatchedCount, IReadOnlyList<Guid> MatchIds, double? Seconds);

public sealed record EngagementPersonItem(Guid EnrolmentId, string Name, string Email, string Site);

public sealed record EngagementSessionItem(int Number, string Modality, DateTimeOffset? StartsAt, string Status);

/// <summary>One person's touchpoint: pending (DueAt null until its session has a date), due, late, submitted, missed; a reminder pending, sent or cancelled.</summary>
public sealed record EngagementTouchpointItem(Guid Id, string Kind, int? SessionNumber, Guid RecipientId, DateTimeOffset? DueAt, string Status);

/// <summary>One pairing of a speed-mentoring event, in its round.</summary>
public sealed record MeetingItem(int Round, Guid MatchId, EngagementPersonItem Mentor, IReadOnlyList<EngagementPersonItem> Mentees);

/// <summary>An engagement; a speed-mentoring event is one, with no single mentor, its rounds as sessions and its pairings as meetings.</summary>
public sealed record EngagementItem(Guid Id, Guid MatchId, string Status, EngagementPersonItem? Mentor, IReadOnlyList<EngagementPersonItem> Mentees,
    IReadOnlyList<EngagementSessionItem> Sessions, IReadOnlyList<EngagementTouchpointItem> Touchpoints, IReadOnlyList<string>? Attention = null,
    IReadOnlyList<EngagementPersonItem>? Mentors = null, IReadOnlyList<MeetingItem>? Meetings = null)
{
    /// <summary>Everyone in it, mentors first.</summary>
    public IEnumerable<EngagementPersonItem> Everyone => (Mentors ?? (Mentor is null ? [] : [Mentor])).Concat(Mentees);
}

public sealed record ReportRowItem(string Group, int Enrolled, int Matched, int Waitlisted, double? TimeToMatchP50Hours, double? TimeToMatchP90Hours,
    int SessionsCompleted, int TouchpointsOnTime, int TouchpointsLate, int TouchpointsMissed, int ReflectionsSubmitted);

public sealed record MentorLoadItem(int Mentees, int Mentors);

/// <summary>A program's report as the API works it out from Programs' projections (submission times, waits and loads the admin cannot see itself).</summary>
public sealed record ProgramReportItem(Guid? ProgramId, DateTimeOffset GeneratedAt, int SessionsCompleted, ReportRowItem Totals,
    IReadOnlyList<ReportRowItem> BySite, IReadOnlyList<ReportRowItem> ByRole, IReadOnlyList<MentorLoadItem> MentorLoad);

/// <summary>One timeline entry as the API gives it: the event's type and facts; <see cref="Programs.Words.History"/> says it in words.</summary>
/// <summary>What an import (or its dry run) does with a file: counts per result and every row's.</summary>
public sealed record ImportPreview(bool DryRun, int Total, ImportCountsItem Counts, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<ImportRowItem> Rows);

public sealed record ImportCountsItem(int Created, int Updated, int Unchanged, int Rejected);

public sealed record ImportRowItem(int Row, string? Role, string? ExternalId, Guid? EnrolmentId, string Result, IReadOnlyDictionary<string, string[]>? Errors);

public sealed record ImportStatusItem(Guid Id, string Status, int Total, int Done, ImportCountsItem Counts, string? Error);

/// <summary>An email of the delivery log; a failed one says why and whether it can be sent again.</summary>
public sealed record NotificationItem(Guid Id, string Kind, string Recipient, string Subject, string Status, DateTimeOffset? SentAt, DateTimeOffset? FailedAt,
    string? Reason, string? Error, int Failures, bool CanResend);

public sealed record HistoryItem(Guid Id, string Type, DateTimeOffset At, string Service, string? Actor, IReadOnlyDictionary<string, string> Facts);

public sealed record ApiKeyItem(Guid Id, string Name, IReadOnlyList<string> Scopes, string Prefix, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>A key just made or rotated: the only answer that carries the key itself.</summary>
public sealed record IssuedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, Guid? RotatedFrom, string Key);

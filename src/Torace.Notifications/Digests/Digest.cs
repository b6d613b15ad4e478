using System.Globalization;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Templates;

namespace Torace.Notifications.Digests;

/// <summary>
/// Who gets a district's daily digest, and when: at <see cref="Hour"/> o'clock in <see cref="TimeZone"/>, one email per
/// program with news. <see cref="CoveredUntil"/> is where the last digest stopped, so the next starts there.
/// </summary>
public sealed record DigestSettings(string Id, string TenantId, IReadOnlyList<string> Recipients, int Hour, string TimeZone, DateTimeOffset? CoveredUntil)
{
    /// <summary>One settings document per district.</summary>
    public const string DocumentId = "digest";
}

/// <summary>
/// Something a coordinator should hear about in the next digest: one per message that brought it (its id). <see cref="People"/>
/// are those it names, by enrolment: an erasure finds the item by them and masks them in its text too, and the audit of
/// personal data reads sees them in the preview.
/// </summary>
public sealed record DigestItem(Guid Id, Guid ProgramId, string? ProgramName, string Kind, string Text, DateTimeOffset At, IReadOnlyList<DigestPerson>? People = null);

public sealed record DigestPerson(Guid EnrolmentId, string Name, string Email);

public static class DigestKinds
{
    public const string NewMatch = "new-match";
    public const string Overdue = "overdue";
    public const string Missed = "missed";
    public const string Stalled = "stalled";
}

/// <summary>A program's digest: what happened since the last one, in the coordinator's words. Pure.</summary>
public static class Digest
{
    public const string Kind = EmailKinds.Digest;

    /// <summary>The lines a section lists before it counts the rest.</summary>
    public const int MaxLines = 200;

    /// <summary>
    /// The digest of one program for <paramref name="day"/>, to each recipient; nothing when nothing happened (no email
    /// that says "nothing new").
    /// </summary>
    public static IReadOnlyList<EmailMessage> Compose(
        Guid programId, IReadOnlyList<DigestItem> items, IReadOnlyList<Delivery> failed, IReadOnlyList<string> recipients, DateOnly day, string timeZone,
        TemplateSet templates)
    {
        if (items.Count == 0 && failed.Count == 0)
        {
            return [];
        }
        var program = items.Select(i => i.ProgramName).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? $"Program {programId}";
        IEnumerable<string> Of(string kind) => items.Where(i => i.Kind == kind).OrderBy(i => i.At).Select(i => $"{i.Text} ({Local(i.At, timeZone)})");
        // A section lists its first lines and counts the rest: a program with thousands of new matches still gets a digest.
        static DigestSectionModel Section(string title, IReadOnlyList<string> lines) => lines.Count <= MaxLines
            ? new(title, lines.Count, lines)
            : new(title, lines.Count, [.. lines.Take(MaxLines), $"… and {lines.Count - MaxLines} more (see the program in the admin)"]);
        IReadOnlyList<DigestSectionModel> sections =
        [
            .. new DigestSectionModel[]
            {
                Section("New matches", [.. Of(DigestKinds.NewMatch)]),
                Section("Overdue touchpoints", [.. Of(DigestKinds.Overdue)]),
                Section("Missed touchpoints", [.. Of(DigestKinds.Missed)]),
                Section("Stalled engagements", [.. Of(DigestKinds.Stalled)]),
                Section("Emails that could not be sent", [.. failed.OrderBy(f => f.FailedAt).Select(f =>
                    $"{f.Subject} to {f.Recipient}: {(f.Reason == DeliveryFailure.Rejected ? "refused by the mail server" : "mail server out of reach")}"
                    + " (send it again from the program's Engagements tab)")]),
            }.Where(s => s.Lines.Count > 0),
        ];
        var details = new DigestDetails(program, day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture), sections);
        return [.. recipients.Select(to => templates.Write(EmailKinds.Digest, to, "", null, details))];
    }

    /// <summary>The local day a digest due at <paramref name="now"/> is for, or null when the district's hour has not come yet today.</summary>
    public static DateOnly? DueDay(DateTimeOffset now, int hour, string timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(now, EmailComposer.Zone(timeZone));
        return local.Hour >= hour ? DateOnly.FromDateTime(local.DateTime) : null;
    }

    /// <summary>Whether the digest for <paramref name="day"/> has gone out: the last one was sent that day or later.</summary>
    public static bool Covered(DateTimeOffset? coveredUntil, DateOnly day, string timeZone) =>
        coveredUntil is { } until && TimeZoneInfo.ConvertTime(until, EmailComposer.Zone(timeZone)).Date >= day.ToDateTime(TimeOnly.MinValue);

    static string Local(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.ConvertTime(at, EmailComposer.Zone(timeZone)).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
}

using Torace.Notifications.Deliveries;
using Torace.Notifications.Digests;
using Torace.Notifications.Templates;

namespace Torace.UnitTests.Notifications;

public class DigestTests
{
    static readonly Guid Program = Guid.NewGuid();
    static readonly DateTimeOffset Morning = new(2026, 12, 7, 13, 0, 0, TimeSpan.Zero);

    static DigestItem Item(string kind, string text) => new(Guid.NewGuid(), Program, "SEL <pairs>", kind, text, Morning);

    [Fact]
    public void A_program_with_no_news_gets_no_digest()
    {
        Assert.Empty(Digest.Compose(Program, [], [], ["coordinator@a.org"], new DateOnly(2026, 12, 7), "UTC", TemplateSet.Default));
    }

    [Fact]
    public void A_digest_tells_each_recipient_the_programs_matches_overdue_work_stalls_and_failed_emails()
    {
        var failed = new Delivery(Guid.NewGuid(), Program, Guid.NewGuid(), "match", "sam@a.org", "You have a mentor: SEL", DeliveryState.Failed, null,
            Reason: DeliveryFailure.Rejected, FailedAt: Morning);

        var emails = Digest.Compose(Program,
            [Item(DigestKinds.NewMatch, "Maria (Lincoln) with Sam <b> (Roosevelt)"), Item(DigestKinds.Overdue, "Sam: pre reflection"), Item(DigestKinds.Stalled, "Engagement x")],
            [failed], ["one@a.org", "two@a.org"], new DateOnly(2026, 12, 7), "America/Chicago", TemplateSet.Default);

        Assert.Equal(["one@a.org", "two@a.org"], emails.Select(e => e.To));
        var email = emails[0];
        Assert.Equal((Digest.Kind, "Daily digest: SEL <pairs>, Monday 7 December 2026"), (email.Kind, email.Subject));
        Assert.Contains("New matches (1)", email.Html);
        Assert.Contains("Maria (Lincoln) with Sam &lt;b&gt; (Roosevelt) (Mon 7 Dec, 07:00)", email.Html);
        Assert.Contains("Overdue touchpoints (1)", email.Html);
        Assert.Contains("Stalled engagements (1)", email.Html);
        Assert.DoesNotContain("Missed touchpoints", email.Html);
        Assert.Contains("You have a mentor: SEL to sam@a.org: refused by the mail server", email.Html);
    }

    [Fact]
    public void A_section_with_thousands_of_lines_lists_the_first_and_counts_the_rest()
    {
        var matches = Enumerable.Range(0, Digest.MaxLines + 50).Select(i => Item(DigestKinds.NewMatch, $"Mentor {i} with Mentee {i}")).ToList();

        var email = Assert.Single(Digest.Compose(Program, matches, [], ["one@a.org"], new DateOnly(2026, 12, 7), "UTC", TemplateSet.Default));

        Assert.Contains($"New matches ({Digest.MaxLines + 50})", email.Html);
        Assert.Contains($"Mentor {Digest.MaxLines - 1} with", email.Html);
        Assert.DoesNotContain($"Mentor {Digest.MaxLines} with", email.Html);
        Assert.Contains("… and 50 more", email.Html);
    }

    [Theory]
    [InlineData("2026-12-07T12:59:00Z", "America/Chicago", 7, null)] // 06:59 in Chicago: not yet
    [InlineData("2026-12-07T13:00:00Z", "America/Chicago", 7, "2026-12-07")]
    [InlineData("2026-12-08T03:00:00Z", "America/Chicago", 7, "2026-12-07")] // 21:00 the evening before, local
    [InlineData("2026-12-07T00:30:00Z", "UTC", 0, "2026-12-07")]
    public void The_digest_is_due_from_the_districts_hour_on_its_local_day(string now, string zone, int hour, string? day) =>
        Assert.Equal(day is null ? null : DateOnly.Parse(day), Digest.DueDay(DateTimeOffset.Parse(now), hour, zone));

    [Fact]
    public void A_day_is_covered_once_its_digest_went_out_that_day_and_not_by_yesterdays()
    {
        var day = new DateOnly(2026, 12, 7);

        Assert.True(Digest.Covered(Morning, day, "America/Chicago"));
        Assert.False(Digest.Covered(Morning.AddDays(-1), day, "America/Chicago"));
        Assert.False(Digest.Covered(null, day, "America/Chicago"));
        Assert.False(Digest.Covered(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero), day, "America/Chicago")); // the 6th, in Chicago
    }
}

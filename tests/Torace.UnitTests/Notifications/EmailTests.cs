using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;

namespace Torace.UnitTests.Notifications;

public class EmailTests
{
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam <b>", "sam@a.org", "Roosevelt", "America/New_York");

    [Fact]
    public void A_match_emails_the_mentor_and_each_mentee_with_the_custom_message_and_guide()
    {
        var match = new MatchProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", Mentor, [Mentee],
            [new SessionPlan(1, "virtual", new DateTimeOffset(2026, 9, 8, 15, 0, 0, TimeSpan.Zero))], false, false, [],
            new MatchMessage("Bring one lesson plan.", "https://example.org/guide-1"), 1, [], DateTimeOffset.UnixEpoch);

        var emails = EmailComposer.ForMatch(match).ToList();

        Assert.Equal(["maria@a.org", "sam@a.org"], emails.Select(e => e.To));
        Assert.All(emails, e => Assert.Contains("Bring one lesson plan.", e.Html));
        Assert.All(emails, e => Assert.Contains("https://example.org/guide-1", e.Html));
        Assert.Contains("10:00 (America/Chicago)", emails[0].Html);
        Assert.Contains("11:00 (America/New_York)", emails[1].Html);
        Assert.Contains("Sam &lt;b&gt;", emails[1].Html);
    }

    [Fact]
    public void The_delivery_key_is_the_same_for_the_same_message_recipient_and_kind_only()
    {
        var message = Guid.NewGuid();

        Assert.Equal(Delivery.KeyOf(message, "Sam@A.org ", "match"), Delivery.KeyOf(message, "sam@a.org", "match"));
        Assert.NotEqual(Delivery.KeyOf(message, "sam@a.org", "match"), Delivery.KeyOf(message, "sam@a.org", "pre-reflection"));
        Assert.NotEqual(Delivery.KeyOf(message, "sam@a.org", "match"), Delivery.KeyOf(Guid.NewGuid(), "sam@a.org", "match"));
    }
}

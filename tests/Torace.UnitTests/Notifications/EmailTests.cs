using MimeKit;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Contracts;
using Torace.Notifications.Branding;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Notifications;

public class EmailTests
{
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam <b>", "sam@a.org", "Roosevelt", "America/New_York");

    /// <summary>Links that say whose they are, for what and on what, so a test reads them back.</summary>
    static readonly LinkFor Links = (to, action, target) => $"https://pages.example/{action}?for={to.EnrolmentId}&on={target}";

    static MatchProposed Match() => new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", Mentor, [Mentee],
        [new SessionPlan(1, "virtual", new DateTimeOffset(2026, 9, 8, 15, 0, 0, TimeSpan.Zero))], false, false, [],
        new MatchMessage("Bring one lesson plan.", "https://example.org/guide-1"), 1, [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_match_emails_the_mentor_and_each_mentee_with_the_custom_message_and_guide()
    {
        var emails = EmailComposer.ForMatch(Match(), ActionLinks.None, TemplateSet.Default).ToList();

        Assert.Equal(["maria@a.org", "sam@a.org"], emails.Select(e => e.To));
        Assert.All(emails, e => Assert.Contains("Bring one lesson plan.", e.Html));
        Assert.All(emails, e => Assert.Contains("https://example.org/guide-1", e.Html));
        Assert.Contains("10:00 (America/Chicago)", emails[0].Html);
        Assert.Contains("11:00 (America/New_York)", emails[1].Html);
        Assert.Contains("Sam &lt;b&gt;", emails[1].Html);
        Assert.All(emails, e => Assert.DoesNotContain("Decline", e.Html));
    }

    [Fact]
    public void A_match_email_names_the_partner_with_their_site_and_a_group_mentee_the_rest_of_the_group()
    {
        var third = new Participant(Guid.NewGuid(), "Ana", "ana@a.org", "Hoover", "UTC");
        var match = Match() with { Mentees = [Mentee, third] };

        var emails = EmailComposer.ForMatch(match, ActionLinks.None, TemplateSet.Default).ToList();

        Assert.Contains("You will mentor Sam &lt;b&gt;, Roosevelt (sam@a.org); Ana, Hoover (ana@a.org) in SEL.", emails[0].Html);
        Assert.Contains("Your mentor in SEL is Maria, Lincoln (maria@a.org). Also in your group: Ana, Hoover (ana@a.org).", emails[1].Html);
        Assert.Contains("Also in your group: Sam &lt;b&gt;, Roosevelt (sam@a.org).", emails[2].Html);
    }

    [Fact]
    public void Each_match_email_carries_its_readers_own_link_to_decline_the_match()
    {
        var match = Match();

        var emails = EmailComposer.ForMatch(match, Links, TemplateSet.Default).ToList();

        var target = LinkTargets.Match(match.ProgramId, match.MatchId);
        Assert.Contains($"decline-match?for={Mentor.EnrolmentId}&amp;on={target}", emails[0].Html);
        Assert.Contains($"decline-match?for={Mentee.EnrolmentId}&amp;on={target}", emails[1].Html);
        Assert.DoesNotContain(Mentee.EnrolmentId.ToString(), emails[0].Html);
    }

    [Fact]
    public void A_reflection_reminder_links_to_its_form_and_to_stopping_reminders()
    {
        var due = new TouchpointDue("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "pre-reflection", null,
            DateTimeOffset.UnixEpoch, "SEL", [Mentee], Prompt: "What do you hope to get out of this?");

        var email = Assert.Single(EmailComposer.ForTouchpoint(due, Links, TemplateSet.Default));

        Assert.Contains($"submit-touchpoint?for={Mentee.EnrolmentId}&amp;on={LinkTargets.Touchpoint(due.EngagementId, due.TouchpointId)}", email.Html);
        Assert.Contains($"stop-reminders?for={Mentee.EnrolmentId}&amp;on={LinkTargets.Enrolment(due.ProgramId, Mentee.EnrolmentId)}", email.Html);
        Assert.Contains("Write your pre reflection", email.Html);
    }

    [Fact]
    public void A_session_reminder_links_to_marking_it_done_and_to_another_date()
    {
        var due = new TouchpointDue("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "session-reminder", 2,
            DateTimeOffset.UnixEpoch, "SEL", [Mentor]);

        var email = Assert.Single(EmailComposer.ForTouchpoint(due, Links, TemplateSet.Default));

        var session = LinkTargets.Session(due.EngagementId, 2);
        Assert.Contains($"complete-session?for={Mentor.EnrolmentId}&amp;on={session}", email.Html);
        Assert.Contains($"schedule-session?for={Mentor.EnrolmentId}&amp;on={session}", email.Html);
        Assert.DoesNotContain("submit-touchpoint", email.Html);
    }

    [Fact]
    public void A_proposed_date_asks_everyone_but_the_proposer_to_confirm_it_in_their_own_time()
    {
        var proposed = new SessionDateProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), 1, new DateTimeOffset(2026, 10, 6, 15, 30, 0, TimeSpan.Zero),
            "virtual", Mentor.EnrolmentId, "After the staff meeting.", "SEL", [Mentor, Mentee], DateTimeOffset.UnixEpoch);

        var email = Assert.Single(EmailComposer.ForDateProposed(proposed, Links, TemplateSet.Default));

        Assert.Equal(("sam@a.org", EmailComposer.DateProposedKind), (email.To, email.Kind));
        Assert.Contains("Maria proposes Tuesday 6 October 2026, 11:30 (America/New_York)", email.Html);
        Assert.Contains("After the staff meeting.", email.Html);
        Assert.Contains($"schedule-session?for={Mentee.EnrolmentId}&amp;on={LinkTargets.Session(proposed.EngagementId, 1)}", email.Html);
    }

    [Fact]
    public void A_mentees_report_asks_each_mentor_for_feedback_with_their_own_link_and_a_mentors_asks_nobody()
    {
        var submitted = new TouchpointSubmitted("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "action-steps", DateTimeOffset.UnixEpoch,
            Mentee.EnrolmentId, "SEL", Mentee, [Mentor]);

        var email = Assert.Single(EmailComposer.ForSubmission(submitted, Links, TemplateSet.Default));

        Assert.Equal(("maria@a.org", EmailComposer.FeedbackAskedKind, "Sam <b> sent their action steps: SEL"), (email.To, email.Kind, email.Subject));
        Assert.Contains($"give-feedback?for={Mentor.EnrolmentId}&amp;on={LinkTargets.Touchpoint(submitted.EngagementId, submitted.TouchpointId)}", email.Html);
        Assert.Empty(EmailComposer.ForSubmission(submitted with { Submitter = Mentor, RecipientId = Mentor.EnrolmentId }, Links, TemplateSet.Default));
        Assert.Empty(EmailComposer.ForSubmission(submitted with { Mentors = null }, Links, TemplateSet.Default)); // from a Scheduling that did not say
    }

    [Fact]
    public void The_plain_text_part_keeps_the_words_the_lines_and_every_links_address()
    {
        const string html = "<p>Hello Sam &lt;b&gt;,</p>\n<p>Your mentor is Maria &amp; co.</p>\n<ul><li>Session 1</li><li>Session 2</li></ul>\n"
            + "<p><a href=\"https://pages.example/decline-match?token=a.b&amp;x=1\" style=\"background:#1d4ed8\">Decline</a></p>\n<p>— Torace</p>\n";

        var text = PlainText.Of(html);

        Assert.Equal("Hello Sam <b>,\n\nYour mentor is Maria & co.\n\n- Session 1\n- Session 2\n\nDecline: https://pages.example/decline-match?token=a.b&x=1\n\n— Torace\n", text);
    }

    [Fact]
    public void An_email_goes_out_framed_in_its_districts_name_and_colour_with_its_reply_to_and_a_plain_text_part()
    {
        var brand = new DistrictBrand(DistrictBrand.DocumentId, "Lincoln <County>", "#0f5132", "https://district.example/logo.png", "mentoring@district.example");
        var due = new TouchpointDue("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "pre-reflection", null, DateTimeOffset.UnixEpoch, "SEL", [Mentee]);
        var email = EmailComposer.ForTouchpoint(due, Links, TemplateSet.Default).Single() with { Brand = brand };

        var mime = EmailMime.Of(email, new Sender("Torace", "no-reply@torace.local"));

        Assert.Contains("Lincoln &lt;County&gt;</div>", mime.HtmlBody);
        Assert.Contains("<img src=\"https://district.example/logo.png\"", mime.HtmlBody);
        Assert.Contains("background:#0f5132;color:#ffffff;border-radius", mime.HtmlBody); // the button
        Assert.DoesNotContain(EmailLayout.ButtonColour, mime.HtmlBody);
        Assert.Equal("mentoring@district.example", Assert.Single(mime.ReplyTo.Mailboxes).Address);
        Assert.Contains("Write your pre reflection: https://pages.example/submit-touchpoint", mime.TextBody);
        Assert.Empty(EmailMime.Of(email with { Brand = null }, new Sender("Torace", "no-reply@torace.local")).ReplyTo);
    }

    [Theory]
    [InlineData("#ffffff", 1.0)]
    [InlineData("#000000", 21.0)]
    [InlineData("#1d4ed8", 6.7)]
    [InlineData("#0f5132", 9.4)]
    [InlineData("#ffc107", 1.6)]
    public void A_districts_colour_is_judged_by_its_contrast_with_white_text(string colour, double ratio) =>
        Assert.Equal(ratio, Math.Round(DistrictBrand.ContrastWithWhite(colour), 1));

    [Fact]
    public void The_delivery_key_is_the_same_for_the_same_message_recipient_and_kind_only()
    {
        var message = Guid.NewGuid();

        Assert.Equal(Delivery.KeyOf(message, "Sam@A.org ", "match"), Delivery.KeyOf(message, "sam@a.org", "match"));
        Assert.NotEqual(Delivery.KeyOf(message, "sam@a.org", "match"), Delivery.KeyOf(message, "sam@a.org", "pre-reflection"));
        Assert.NotEqual(Delivery.KeyOf(message, "sam@a.org", "match"), Delivery.KeyOf(Guid.NewGuid(), "sam@a.org", "match"));
    }
}

using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Notifications.Branding;
using Torace.Notifications.Email;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;

namespace Torace.UnitTests.Notifications;

public class TemplateTests
{
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "UTC");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam", "sam@a.org", "Roosevelt", "UTC");

    static MatchProposed Match(string message) => new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", Mentor, [Mentee],
        [new SessionPlan(1, "virtual", null)], false, false, [], new MatchMessage(message, null), 1, [], DateTimeOffset.UnixEpoch);

    static TemplateSet With(string kind, EmailTemplate template, DistrictBrand? brand = null) =>
        new(brand ?? DistrictBrand.Default, new Dictionary<string, ParsedTemplate> { [kind] = template.Parse() });

    public static TheoryData<string> Kinds => [.. EmailKinds.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Torace_wording_of_every_kind_renders_its_sample_with_nothing_left_unprinted(string kind)
    {
        var email = TemplateSet.Default.Write(kind, "sam@a.org", "Sam", null, EmailKinds.Of(kind).Sample);

        Assert.NotEmpty(email.Subject);
        Assert.DoesNotContain("{{", email.Subject + email.Html);
        Assert.DoesNotContain("{%", email.Subject + email.Html);
        Assert.StartsWith("<p>Hello Sam,</p>", email.Html);
        Assert.Contains("— Torace", email.Html);
        Assert.Null(email.Text); // read from the HTML as it is sent
    }

    [Fact]
    public void A_districts_own_wording_is_used_in_its_colour_and_a_plain_text_it_words_goes_out_as_written()
    {
        var brand = new DistrictBrand(DistrictBrand.DocumentId, "Lincoln County", "#0f5132", null, null);
        var templates = With(EmailKinds.Match, new EmailTemplate("{{ district.name }}: meet {% if role == 'mentor' %}your mentees{% else %}{{ mentor.name }}{% endif %}",
            "<p style=\"color:{{ district.colour }}\">{{ recipient.name }}, meet {{ mentor.name }} of {{ mentor.site }}.</p>", "Hi {{ recipient.name }}: {{ mentor.name }}."), brand);

        var emails = EmailComposer.ForMatch(Match("Welcome."), ActionLinks.None, templates).ToList();

        Assert.Equal(["Lincoln County: meet your mentees", "Lincoln County: meet Maria"], emails.Select(e => e.Subject));
        Assert.Equal("<p style=\"color:#0f5132\">Sam, meet Maria of Lincoln.</p>", emails[1].Html);
        Assert.Equal("Hi Sam: Maria.", emails[1].Text);
        Assert.Equal(EmailComposer.MatchKind, emails[1].Kind);
        Assert.Same(brand, emails[1].Brand);
    }

    [Fact]
    public void A_coordinators_message_is_printed_escaped_and_never_run_as_a_template()
    {
        var emails = EmailComposer.ForMatch(Match("<script>alert(1)</script> {{ recipient.email }} {% for i in (1..3) %}x{% endfor %}"), ActionLinks.None,
            TemplateSet.Default).ToList();

        Assert.All(emails, e => Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; {{ recipient.email }} {% for i in (1..3) %}x{% endfor %}", e.Html));
        Assert.All(emails, e => Assert.DoesNotContain("<script>", e.Html));
    }

    [Fact]
    public void The_match_email_names_the_programs_topic_in_words_and_leaves_it_out_when_there_is_none()
    {
        var withTopic = EmailComposer.ForMatch(Match("Welcome.") with { Topic = "lesson-planning" }, ActionLinks.None, TemplateSet.Default).ToList();
        var without = EmailComposer.ForMatch(Match("Welcome."), ActionLinks.None, TemplateSet.Default).ToList();

        Assert.All(withTopic, e => Assert.Contains("<p>Topic: lesson planning</p>", e.Html));
        Assert.All(without, e => Assert.DoesNotContain("Topic:", e.Html));
    }

    [Fact]
    public void A_reminder_keeps_its_touchpoints_kind_for_the_delivery_log()
    {
        var due = new Torace.Contracts.Scheduling.TouchpointDue("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "action-steps", null,
            DateTimeOffset.UnixEpoch, "SEL", [Mentee], Nudge: true);

        var email = Assert.Single(EmailComposer.ForTouchpoint(due, ActionLinks.None, TemplateSet.Default));

        Assert.Equal("action-steps", email.Kind);
        Assert.Equal("Overdue: Between sessions: action steps (SEL)", email.Subject);
        Assert.Contains("Your action steps was due Thursday 1 January 1970, 00:00 (UTC) and is still open", email.Html);
    }

    [Theory]
    [InlineData("{{ message | raw }}", true)]
    [InlineData("{{message|raw}}", true)]
    [InlineData("{% capture t %}.{% endcapture %}{{ t | append: message }}", true)]
    [InlineData("{%- macro m -%}x{%- endmacro -%}", true)]
    [InlineData("{% raw %}{{ not printed }}{% endraw %}", false)]
    [InlineData("{{ message | strip }}", false)]
    public void Printing_a_value_unescaped_is_found(string source, bool raw) => Assert.Equal(raw, Liquid.PrintsRaw(source));

    [Fact]
    public void Toraces_match_email_reads_as_plain_text_with_its_lines_and_the_decline_links_address()
    {
        var links = (LinkFor)((to, action, _) => $"https://pages.example/{action}?token=t");
        var email = EmailComposer.ForMatch(Match("Bring one lesson plan.") with { Topic = "sel" }, links, TemplateSet.Default).Last();

        var text = PlainText.Of(email.Html);

        Assert.StartsWith("Hello Sam,\n\nYour mentor in SEL is Maria, Lincoln (maria@a.org).\n\nTopic: sel\n\nBring one lesson plan.\n\n- Session 1 (virtual)", text);
        Assert.Contains("Cannot take part? Decline this match: https://pages.example/decline-match?token=t", text);
        Assert.EndsWith("— Torace\n", text);
    }

    [Fact]
    public void A_districts_template_that_fails_on_an_emails_details_gives_way_to_Toraces_wording()
    {
        var templates = With(EmailKinds.Match, new EmailTemplate("Meet them", "<p>{{ 10 | divided_by: groupMembers.size }}</p>"));

        var email = EmailComposer.ForMatch(Match("Welcome."), ActionLinks.None, templates).First(); // the mentor: no group members

        Assert.Equal("You are matched as a mentor: SEL", email.Subject);
    }

    [Fact]
    public void A_template_that_loops_without_end_is_stopped()
    {
        var templates = With(EmailKinds.SessionCompleted, new EmailTemplate("Done",
            "{% for a in (1..1000) %}{% for b in (1..1000) %}{{ a }}{% endfor %}{% endfor %}"));

        var template = new EmailTemplate("Done", "{% for a in (1..1000) %}{% for b in (1..1000) %}{{ a }}{% endfor %}{% endfor %}").Parse();
        var model = new EmailModel(new RecipientModel("Sam", "sam@a.org"), TemplateSet.Default.District, new SessionCompletedDetails("SEL", 1));

        Assert.ThrowsAny<Exception>(() => TemplateSet.Render(template, model));
        // Sent anyway, in Torace's words.
        Assert.Equal("Session 1 of SEL is done", templates.Write(EmailKinds.SessionCompleted, "sam@a.org", "Sam", null, new SessionCompletedDetails("SEL", 1)).Subject);
    }
}

using System.Net;
using Bunit;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>The engagements tab's failed emails: listed with why, sent again on the coordinator's click, and kept with the reason when that fails too.</summary>
public sealed class FailedEmailsTests : AdminComponentTest
{
    static readonly string Failed = $"GET /api/v1/programs/{RecordingGateway.ProgramId}/notifications";
    static readonly NotificationItem Refused = new(Guid.NewGuid(), "match", "sam@roosevelt.example.org", "You have a mentor", "failed", null,
        new DateTimeOffset(2027, 1, 5, 15, 0, 0, TimeSpan.Zero), "rejected", "550 5.1.1 mailbox unavailable", 1, true);

    IRenderedComponent<EngagementsTab> RenderTab()
    {
        gateway.On($"GET /api/v1/programs/{RecordingGateway.ProgramId}/engagements", _ => RecordingGateway.Json(new Page<EngagementItem>([], null, 0)));
        return RenderWithProviders<EngagementsTab>(p => p.Add(t => t.Program, RecordingGateway.Program("completed")));
    }

    [Fact]
    public void Given_a_refused_match_email_then_the_tab_names_its_recipient_and_why()
    {
        gateway.On(Failed, _ => RecordingGateway.Json(new Page<NotificationItem>([Refused], null, 1)));

        var tab = RenderTab();

        var row = tab.WaitForElement("[data-testid=failed-email]").TextContent;
        Assert.Contains("Match email to sam@roosevelt.example.org, refused by the mail server", row, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1 mailbox unavailable", row, StringComparison.Ordinal);
        Assert.Contains("1 email could not be sent", tab.Find("[data-testid=failed-emails]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void When_send_again_is_clicked_then_the_resend_is_posted_and_the_email_leaves_the_list()
    {
        gateway.On(Failed, _ => RecordingGateway.Json(new Page<NotificationItem>([Refused], null, 1)));
        gateway.On($"POST /api/v1/programs/{RecordingGateway.ProgramId}/notifications/{Refused.Id}/resend",
            _ => RecordingGateway.Json(Refused with { Status = "sent", SentAt = DateTimeOffset.UtcNow, CanResend = false }));
        var tab = RenderTab();

        tab.WaitForElement("[data-testid=failed-email]");
        Button(tab, "Send again").Click();

        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-testid=failed-email]")));
        Assert.Contains("Match email sent again to sam@roosevelt.example.org", tab.Find("[data-testid=resent]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"POST /api/v1/programs/{RecordingGateway.ProgramId}/notifications/{Refused.Id}/resend", gateway.Requests.Select(r => r.Line));
    }

    [Fact]
    public void When_the_mail_server_is_still_away_then_the_email_stays_listed_and_the_coordinator_is_told()
    {
        gateway.On(Failed, _ => RecordingGateway.Json(new Page<NotificationItem>([Refused], null, 1)));
        gateway.On($"POST /api/v1/programs/{RecordingGateway.ProgramId}/notifications/{Refused.Id}/resend",
            _ => RecordingGateway.Problem(HttpStatusCode.ServiceUnavailable, "The mail server could not be reached. Retry after the time in Retry-After."));
        var tab = RenderTab();

        tab.WaitForElement("[data-testid=failed-email]");
        Button(tab, "Send again").Click();

        tab.WaitForAssertion(() => Assert.Contains("could not be reached", tab.Markup, StringComparison.Ordinal));
        Assert.Single(tab.FindAll("[data-testid=failed-email]"));
        Assert.Empty(tab.FindAll("[data-testid=resent]"));
    }
}

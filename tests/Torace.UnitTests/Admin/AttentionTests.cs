using Bunit;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>The engagements tab names what needs the coordinator (the attention list's reasons) and can show only those.</summary>
public sealed class AttentionTests : AdminComponentTest
{
    static EngagementItem Engagement(string mentor, string mentee, params string[] attention) => new(Guid.NewGuid(), Guid.NewGuid(), "active",
        new EngagementPersonItem(Guid.NewGuid(), mentor, $"{mentor}@lincoln.example.org", "Lincoln"),
        [new EngagementPersonItem(Guid.NewGuid(), mentee, $"{mentee}@roosevelt.example.org", "Roosevelt")],
        [new EngagementSessionItem(1, "virtual", null, "pending")], [], attention);

    IRenderedComponent<EngagementsTab> RenderTab(params EngagementItem[] engagements)
    {
        gateway.On($"GET /api/v1/programs/{RecordingGateway.ProgramId}/notifications", _ => RecordingGateway.Json(new Page<NotificationItem>([], null, 0)));
        gateway.On($"GET /api/v1/programs/{RecordingGateway.ProgramId}/engagements", _ => RecordingGateway.Json(new Page<EngagementItem>(engagements, null, engagements.Length)));
        return RenderWithProviders<EngagementsTab>(p => p.Add(t => t.Program, RecordingGateway.Program("running")));
    }

    [Fact]
    public void Given_a_stalled_and_an_overdue_engagement_then_each_is_named_with_why_and_the_rest_are_not()
    {
        var tab = RenderTab(Engagement("Ana", "Ben", "stalled"), Engagement("Cy", "Di"), Engagement("Ed", "Flo", "overdue", "no-show"));

        var items = tab.WaitForElements("[data-testid=attention-item]").Select(i => i.TextContent.Trim()).ToList();
        Assert.Equal(["Ana, Ben: nothing has happened for a while", "Ed, Flo: a reflection or touchpoint is overdue; someone missed a session"], items);
        Assert.Contains("2 engagements need your attention", tab.Find("[data-testid=attention]").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, tab.FindAll("[data-testid=engagement]").Count);
    }

    [Fact]
    public void When_only_these_are_shown_then_the_board_holds_only_the_engagements_needing_attention()
    {
        var tab = RenderTab(Engagement("Ana", "Ben", "unconfirmed-date"), Engagement("Cy", "Di"));
        tab.WaitForElements("[data-testid=attention-item]");

        tab.Find("[data-testid=attention] input[type=checkbox]").Change(true);

        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=engagement]")));
        Assert.Contains("Ana", tab.Find("[data-testid=engagement]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_nothing_needing_attention_then_no_panel_is_shown()
    {
        var tab = RenderTab(Engagement("Ana", "Ben"));
        tab.WaitForElements("[data-testid=engagement]");

        Assert.Empty(tab.FindAll("[data-testid=attention]"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Torace.IntegrationTests.Admin;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Participate;

/// <summary>
/// Mentors and mentees never log in: a real Chromium follows the links in the emails the SMTP sink received to write a
/// reflection, confirm a date and decline a match, through the participant pages and the gateway. A changed link and a
/// used one do nothing, and every page passes axe-core at a phone's width (390 px) and a desktop's (1280 px).
/// </summary>
public sealed partial class ParticipantPagesTests(ToraceSystem system) : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const int Phone = 390;
    const int Desktop = 1280;

    AdminBrowser browser = null!;

    public async ValueTask InitializeAsync() => browser = await AdminBrowser.Start();

    public async ValueTask DisposeAsync() => await browser.DisposeAsync();

    [Fact]
    public async Task A_mentee_writes_a_reflection_and_confirms_a_date_from_the_emails_links()
    {
        var (api, tag, programId, mentor, mentee) = await MatchedPair();
        var engagementId = (await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 1, "the engagement"))[0]
            .GetProperty("id").GetGuid();
        var engagement = $"/api/v1/engagements/{engagementId}";

        // The first session is tomorrow, so the pre-reflections fall due at once, each email with its reader's link.
        var reflection = await LinkIn(Email(tag, "mentee"), "Before your first session", ParticipantActions.SubmitTouchpoint);
        var page = await browser.Page(system.Participate, Phone);
        await page.GotoAsync(reflection);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your reflection before your first session");
        await browser.Check(page, "reflection-390", "participate");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my reflection before your first session" }).ClickAsync();
        await Expect(page.GetByText("Please write a few lines before sending.")).ToBeVisibleAsync(); // nothing sent empty
        await page.GetByLabel("Your reflection before your first session").FillAsync($"Calmer transitions after lunch {tag}.");
        await page.GetByLabel("Link to a work product").FillAsync("https://docs.example.org/sam-notes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my reflection before your first session" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you: it is sent");
        await browser.Check(page, "sent-390", "participate");
        var submitted = Touchpoint(await api.Get(engagement, Ct), "pre-reflection", mentee);
        Assert.Equal(("submitted", $"Calmer transitions after lunch {tag}.", "https://docs.example.org/sam-notes"),
            (submitted.GetProperty("status").GetString(), submitted.GetProperty("response").GetString(), submitted.GetProperty("link").GetString()));

        // The same link again: already done, nothing changes.
        await page.GotoAsync(reflection);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have sent your reflection before your first session");

        // Maria is asked by email for feedback on it, with her own link, and gives it.
        var feedback = await LinkIn(Email(tag, "mentor"), $"Sam {tag} sent their pre reflection", ParticipantActions.GiveFeedback);
        var mentorPage = await browser.Page(system.Participate, Phone);
        await mentorPage.GotoAsync(feedback);
        await Expect(mentorPage.GetByText($"Calmer transitions after lunch {tag}.")).ToBeVisibleAsync();
        await browser.Check(mentorPage, "feedback-390", "participate");
        await mentorPage.GetByLabel("Your feedback").FillAsync("Try the countdown two days in a row.");
        await mentorPage.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Expect(mentorPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you: your feedback is sent");
        Assert.Equal("Try the countdown two days in a row.", Touchpoint(await api.Get(engagement, Ct), "pre-reflection", mentee).GetProperty("feedback").GetString());
        await mentorPage.Context.CloseAsync();

        // Maria proposes a date for session 2 with her own link; Sam's email asks him to confirm it.
        var proposed = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(9).Date.AddHours(21), TimeSpan.Zero);
        using (var maria = system.WithLink(await system.ParticipantLink(mentor, ParticipantActions.ScheduleSession, Ct)))
        using (var proposal = await maria.PutAsJsonAsync($"{engagement}/sessions/2", new { startsAt = proposed, modality = "virtual", reason = "After my bus duty." }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, proposal.StatusCode);
        }
        var confirm = await LinkIn(Email(tag, "mentee"), "A date for session 2", ParticipantActions.ScheduleSession);
        var desktop = await browser.Page(system.Participate, Desktop);
        await desktop.GotoAsync(confirm);
        await Expect(desktop.GetByText("After my bus duty.")).ToBeVisibleAsync();
        await browser.Check(desktop, "confirm-1280", "participate");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Confirm this date" }).ClickAsync();
        await Expect(desktop.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Session 2 is set");
        var second = (await api.Get(engagement, Ct)).GetProperty("sessions")[1];
        Assert.Equal(("scheduled", proposed), (second.GetProperty("status").GetString(), second.GetProperty("startsAt").GetDateTimeOffset()));

        // Every other participant page, at both widths: marking a session done, feedback already given, leaving, stopping reminders.
        var others = new (Guid Who, string Action, string Target, string Heading)[]
        {
            (mentor, ParticipantActions.CompleteSession, LinkTargets.Session(engagementId, 1), "Session 1: did you meet?"),
            (mentor, ParticipantActions.GiveFeedback, LinkTargets.Touchpoint(engagementId, submitted.GetProperty("id").GetGuid()), "You have given your feedback"),
            (mentee, ParticipantActions.WithdrawFromEngagement, LinkTargets.Engagement(engagementId), "Leave this engagement"),
            (mentee, ParticipantActions.StopReminders, LinkTargets.Enrolment(programId, mentee), "Stop reminders"),
            (mentee, ParticipantActions.ScheduleSession, LinkTargets.Session(engagementId, 1), "A date for session 1"),
        };
        foreach (var (who, action, target, heading) in others)
        {
            var url = $"/{action}?token={Uri.EscapeDataString(await system.ParticipantLink(who, action, Ct, target: target))}";
            foreach (var width in new[] { Phone, Desktop })
            {
                var other = await browser.Page(system.Participate, width);
                await other.GotoAsync(url);
                await Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
                await browser.Check(other, $"{action}-{width}", "participate");
                await other.Context.CloseAsync();
            }
        }
        await page.Context.CloseAsync();
        await desktop.Context.CloseAsync();
    }

    [Fact]
    public async Task A_mentee_declines_a_match_from_its_email_once_and_a_changed_link_does_nothing()
    {
        var (api, tag, programId, _, mentee) = await MatchedPair();
        var decline = await LinkIn(Email(tag, "mentee"), "You have a mentor", ParticipantActions.DeclineMatch);
        var matchId = (await api.Items($"/api/v1/programs/{programId}/matches", Ct))[0].GetProperty("id").GetGuid();

        // A changed link: a clear page, and the match stays as it was.
        var token = Uri.UnescapeDataString(decline[(decline.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        var parts = token.Split('.');
        var changed = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        var page = await browser.Page(system.Participate, Phone);
        var refused = await page.GotoAsync($"/decline-match?token={Uri.EscapeDataString(changed)}");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not work");
        await Expect(page.GetByText("signature does not match")).ToBeVisibleAsync();
        await browser.Check(page, "refused-390", "participate");
        Assert.Equal("published", (await api.Get($"/api/v1/programs/{programId}/matches/{matchId}", Ct)).GetProperty("status").GetString());

        // The link as sent, at a desktop's width and then a phone's.
        var desktop = await browser.Page(system.Participate, Desktop);
        await desktop.GotoAsync(decline);
        await Expect(desktop.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Decline your match");
        await browser.Check(desktop, "decline-1280", "participate");
        await page.GotoAsync(decline);
        await Expect(page.GetByText("You were matched with")).ToContainTextAsync($"Maria {tag} (Lincoln)");
        await browser.Check(page, "decline-390", "participate");
        await page.GetByLabel("Why can you not take part?").FillAsync("I am on leave next month.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Decline this match" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have declined your match");
        var declined = await api.Get($"/api/v1/programs/{programId}/matches/{matchId}", Ct);
        Assert.Equal("declined", declined.GetProperty("mentees")[0].GetProperty("status").GetString());

        // Used: the link opens an "already done" page, and posting its form again changes nothing.
        await desktop.GetByLabel("Why can you not take part?").FillAsync("Second thoughts.");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Decline this match" }).ClickAsync();
        await Expect(desktop.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have declined this match");
        await page.GotoAsync(decline);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have declined this match");
        Assert.Equal(declined.GetProperty("mentees")[0].ToString(),
            (await api.Get($"/api/v1/programs/{programId}/matches/{matchId}", Ct)).GetProperty("mentees")[0].ToString());

        // A page opened without a link, or at an address that is no page, says so.
        var bare = await page.GotoAsync("/decline-match");
        Assert.Equal((int)HttpStatusCode.Forbidden, bare!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not work");
        var nowhere = await page.GotoAsync("/no-such-page");
        Assert.Equal((int)HttpStatusCode.NotFound, nowhere!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nothing to open here");
        await page.Context.CloseAsync();
        await desktop.Context.CloseAsync();
    }

    [Fact]
    public async Task A_districts_name_and_colour_frame_its_emails_and_its_participant_pages()
    {
        // demo-b: no other test looks at its emails' frame.
        using var district = system.District("demo-b");
        using (var pale = await district.PutAsJsonAsync("/api/v1/settings/branding", new { colour = "#ffc107", logoUrl = "http://x.example/logo.png" }, Ct))
        {
            var problem = await GatewayKeys.Problem(pale, HttpStatusCode.BadRequest, Ct);
            Assert.Equal(["colour", "logoUrl"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
            Assert.Contains("1.6:1", problem.GetProperty("errors").GetProperty("colour")[0].GetString());
        }
        using (var set = await district.PutAsJsonAsync("/api/v1/settings/branding",
            new { displayName = "Roosevelt Unified", colour = "#0f5132", replyTo = "mentoring@roosevelt.example.org" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var (_, tag, _, _, _) = await MatchedPair("demo-b");
        var decline = await LinkIn(Email(tag, "mentee"), "You have a mentor", ParticipantActions.DeclineMatch);
        var email = (await system.Emails(Ct)).First(e => e.To.Any(a => a.Address == Email(tag, "mentee")) && e.Subject.StartsWith("You have a mentor", StringComparison.Ordinal));
        Assert.Contains("background:#0f5132", email.Html);
        Assert.Contains("Roosevelt Unified</div>", email.Html);

        var page = await browser.Page(system.Participate, Phone);
        await page.GotoAsync(decline);
        var header = page.Locator("header");
        await Expect(header).ToContainTextAsync("Roosevelt Unified");
        Assert.Equal("rgb(15, 81, 50)", await header.EvaluateAsync<string>("h => getComputedStyle(h).backgroundColor"));
        Assert.Equal("rgb(15, 81, 50)", await page.GetByRole(AriaRole.Button, new() { Name = "Decline this match" })
            .EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
        await browser.Check(page, "branded-390", "participate");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_gateway_says_what_a_link_allows_and_refuses_one_it_did_not_sign()
    {
        var enrolment = Guid.NewGuid();
        var target = LinkTargets.Session(Guid.NewGuid(), 2);
        using var link = system.WithLink(await system.ParticipantLink(enrolment, ParticipantActions.CompleteSession, Ct, target: target));

        var read = await link.GetFromJsonAsync<JsonElement>("/api/v1/participant-link", Ct);

        Assert.Equal(("demo-a", enrolment, ParticipantActions.CompleteSession, target),
            (read.GetProperty("district").GetString(), read.GetProperty("enrolmentId").GetGuid(), read.GetProperty("action").GetString(), read.GetProperty("target").GetString()));
        using var district = system.District("demo-a");
        using (var notAParticipant = await district.GetAsync("/api/v1/participant-link", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAParticipant.StatusCode);
        }
        using (var wrongTarget = await district.PostAsJsonAsync("/api/v1/participant-links",
            new { enrolmentId = enrolment, action = ParticipantActions.DeclineMatch, target }, Ct))
        {
            var problem = await GatewayKeys.Problem(wrongTarget, HttpStatusCode.BadRequest, Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty("target", out _), problem.ToString());
        }
        using var forged = system.WithLink(new ParticipantLinkSigner(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]))
            .Issue("demo-a", enrolment, ParticipantActions.CompleteSession, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, target).Token);
        using var refused = await forged.GetAsync("/api/v1/participant-link", Ct);
        Assert.Contains("signature", (await GatewayKeys.Problem(refused, HttpStatusCode.Unauthorized, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A two-session program whose first session is tomorrow (so pre-reflections are due at once), with Maria and Sam matched and the match published.</summary>
    async Task<(DistrictApi Api, string Tag, Guid ProgramId, Guid Mentor, Guid Mentee)> MatchedPair(string district = "demo-a")
    {
        var api = new DistrictApi(system.District(district));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Participant pages {tag}",
            kind = "topic-intervention",
            topic = "sel",
            sessions = new object[] { new { modality = "virtual", startsAt = DateTimeOffset.UtcNow.AddDays(1) }, new { modality = "either" } },
            groupSize = 1,
            preReflection = true,
            postReflection = true,
            pool = new { sites = "any" },
            matching = new { review = "manual" },
            message = new { text = "Welcome: bring one routine you want to strengthen." },
            reminders = new { quietHours = false },
        }, Ct);
        var mentor = await api.Enrol(programId, new
        {
            externalId = $"maria-{tag}", role = "mentor", name = $"Maria {tag}", email = Email(tag, "mentor"), site = "Lincoln", capacity = 1,
            topics = new[] { "sel" }, modality = "virtual", timeZone = "America/Chicago",
        }, Ct);
        var mentee = await api.Enrol(programId, new
        {
            externalId = $"sam-{tag}", role = "mentee", name = $"Sam {tag}", email = Email(tag, "mentee"), site = "Roosevelt",
            topics = new[] { "sel" }, modality = "virtual", timeZone = "America/Chicago",
        }, Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();
        return (api, tag, programId, mentor, mentee);
    }

    static string Email(string tag, string role) => $"{role}.{tag}@pages.example.org";

    /// <summary>The link for <paramref name="action"/> in the email to <paramref name="to"/> whose subject has <paramref name="subject"/>.</summary>
    async Task<string> LinkIn(string to, string subject, string action)
    {
        var email = await Eventually.Until(async t => (await system.Emails(t)).FirstOrDefault(e =>
                e.To.Any(a => a.Address == to) && e.Subject.Contains(subject, StringComparison.Ordinal)),
            e => e is not null, $"the email '{subject}' to {to}");
        var link = LinkPattern().Matches(email!.Html ?? "").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .FirstOrDefault(url => url.Contains($"/{action}?token=", StringComparison.Ordinal));
        Assert.True(link is not null, $"No {action} link in '{email.Subject}':\n{email.Html}");
        Assert.StartsWith(system.Participate.ToString().TrimEnd('/'), link, StringComparison.Ordinal);
        return link;
    }

    static JsonElement Touchpoint(JsonElement engagement, string kind, Guid recipient) => engagement.GetProperty("touchpoints").EnumerateArray()
        .Single(t => t.GetProperty("kind").GetString() == kind && t.GetProperty("recipientId").GetGuid() == recipient);

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();
}

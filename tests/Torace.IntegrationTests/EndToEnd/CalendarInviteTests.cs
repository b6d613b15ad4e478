using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ical.Net;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// The calendar invites as the participants' mailboxes receive them (the SMTP sink), read back with Ical.Net: the invite
/// that follows the match, a move that updates the same event, a first date for another session, and the cancellations
/// when the engagement ends, each once per person.
/// </summary>
public sealed class CalendarInviteTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_session_keeps_one_calendar_event_from_the_match_email_through_a_move_to_the_cancellation()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        string maria = $"maria.{tag}@lincoln.example.org", sam = $"sam.{tag}@roosevelt.example.org";
        var firstSession = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(20).AddHours(15), TimeSpan.Zero);
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Invites {tag}",
            kind = "topic-intervention",
            topic = "sel",
            sessions = new object[] { new { modality = "virtual", startsAt = firstSession }, new { modality = "in-person" } },
            groupSize = 1,
            pool = new { sites = "any" },
            matching = new { review = "manual" },
            message = new { text = "Welcome." },
            reminders = new { quietHours = false },
        }, Ct);
        var mentor = await api.Enrol(programId, DistrictApi.Person("mentor", maria, "Lincoln", capacity: 1), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", sam, "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();

        // With the match: an invite for the one session with a date, in an email of its own.
        var matched = await Invites(maria, sam, s => s.StartsWith("Session 1 of", StringComparison.Ordinal), "session 1's invite");
        var first = Assert.Single(matched[0].Calendar.Events);
        Assert.Equal(("REQUEST", 0), (matched[0].Calendar.Method, first.Sequence));
        Assert.Equal(firstSession.UtcDateTime, first.DtStart!.AsUtc);
        Assert.Equal([$"mailto:{maria}", $"mailto:{sam}"], first.Attendees.Select(a => a.Value!.ToString()));
        Assert.All(matched, m => Assert.Equal(first.Uid, m.Calendar.Events.Single().Uid));

        var engagementId = (await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 1, "the engagement"))[0]
            .GetProperty("id").GetGuid();
        var path = $"/api/v1/engagements/{engagementId}";

        // The coordinator moves session 1: the same event, its sequence raised.
        await Put(api.Http, $"{path}/sessions/1", new { startsAt = firstSession.AddDays(1), reason = "Testing week." });
        var moved = await Invites(maria, sam, s => s.StartsWith("Moved: session 1", StringComparison.Ordinal), "the move");
        var movedEvent = moved[0].Calendar.Events.Single();
        Assert.Equal((first.Uid, 1, firstSession.AddDays(1).UtcDateTime), (movedEvent.Uid, movedEvent.Sequence, movedEvent.DtStart!.AsUtc));

        // Session 2 gets its first date: an event of its own.
        await Put(api.Http, $"{path}/sessions/2", new { startsAt = firstSession.AddDays(8), modality = "in-person" });
        var second = (await Invites(maria, sam, s => s.StartsWith("Session 2 of", StringComparison.Ordinal), "session 2's date"))[0].Calendar.Events.Single();
        Assert.Equal(0, second.Sequence);
        Assert.NotEqual(first.Uid, second.Uid);

        // The mentor withdraws, which ends the engagement: both events cancelled, one email per session and person.
        using var mentorLink = system.WithLink(await Link(mentor, ParticipantActions.WithdrawFromEngagement));
        using (var withdrawn = await mentorLink.PostAsJsonAsync($"{path}/withdraw", new { reason = "Moving schools." }, Ct))
        {
            Assert.True(withdrawn.StatusCode == HttpStatusCode.OK, $"withdraw: {withdrawn.StatusCode} {await withdrawn.Content.ReadAsStringAsync(Ct)}");
        }
        foreach (var (session, uid, sequence) in new[] { (1, first.Uid, 2), (2, second.Uid, 1) })
        {
            var cancelled = await Invites(maria, sam, s => s.StartsWith($"Cancelled: session {session} of", StringComparison.Ordinal), $"session {session}'s cancellation");
            Assert.All(cancelled, c => Assert.Equal("CANCEL", c.Calendar.Method));
            var gone = Assert.Single(cancelled[0].Calendar.Events);
            Assert.Equal((uid, sequence, "CANCELLED"), (gone.Uid, gone.Sequence, gone.Status));
        }
    }

    /// <summary>
    /// Waits until both people have the email <paramref name="isIt"/> picks by its subject, then checks each has exactly
    /// one of them a moment later (no second copy), and reads their invites.
    /// </summary>
    async Task<List<(SentEmail Email, Calendar Calendar)>> Invites(string maria, string sam, Func<string, bool> isIt, string what)
    {
        bool For(SentEmail e, string who) => isIt(e.Subject) && e.To.Any(t => t.Address == who);
        await Eventually.Until(t => system.Emails(t), all => all.Any(e => For(e, maria)) && all.Any(e => For(e, sam)), $"{what} to both");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var emails = await system.Emails(Ct);
        var found = new List<(SentEmail, Calendar)>();
        foreach (var who in new[] { maria, sam })
        {
            var mine = emails.Where(e => For(e, who)).ToList();
            Assert.Single(mine);
            var ics = Assert.Single(mine[0].Attachments ?? [], a => a.FileName == "invite.ics");
            found.Add((mine[0], Calendar.Load(await system.Attachment(mine[0], ics, Ct))!));
        }
        return found;
    }

    static async Task Put(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    Task<string> Link(Guid enrolmentId, string action) => system.ParticipantLink(enrolmentId, action, Ct);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ical.Net;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// A speed-mentoring event through the gateway: two mentors and two mentees in two 15-minute rounds become one
/// engagement for the whole event, each pairing is told (and invited) at its own round's time, a declined pairing ends
/// alone (its invite cancelled), and the event completes once both rounds are done and everyone's post-reflection is in.
/// </summary>
public sealed class SpeedMentoringTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_is_one_engagement_whose_rounds_follow_one_another_and_each_pairing_meets_at_its_rounds_time()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(20).AddHours(15).AddMinutes(30), TimeSpan.Zero);
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Speed mentoring night {tag}",
            template = "speed-mentoring", // 15-minute rounds, a post-reflection
            kind = "speed-mentoring",
            topic = "sel",
            sessions = new[] { new { modality = "virtual", startsAt = start } },
            matching = new { review = "manual", rounds = 2 },
            message = new { text = "Fifteen minutes each; bring one question." },
            reminders = new { quietHours = false },
        }, Ct);
        string[] mentees = [$"e1.{tag}@hoover.example.org", $"e2.{tag}@hoover.example.org"];
        foreach (var mentor in new[] { $"m1.{tag}@lincoln.example.org", $"m2.{tag}@lincoln.example.org" })
        {
            await api.Enrol(programId, DistrictApi.Person("mentor", mentor, "Lincoln", capacity: 1), Ct);
        }
        foreach (var mentee in mentees)
        {
            await api.Enrol(programId, DistrictApi.Person("mentee", mentee, "Hoover"), Ct);
        }
        var run = await api.RunMatching(programId, expectedProposals: 4);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();

        // One engagement for the event, which every pairing joined.
        var engagement = (await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t),
            e => e.GetArrayLength() == 1 && e[0].GetProperty("meetings").GetArrayLength() == 4, "the event's engagement with its four pairings"))[0];
        Assert.Equal(JsonValueKind.Null, engagement.GetProperty("mentor").ValueKind);
        Assert.Equal((2, 2), (engagement.GetProperty("mentors").GetArrayLength(), engagement.GetProperty("mentees").GetArrayLength()));
        Assert.Equal([(1, start), (2, start.AddMinutes(15))],
            engagement.GetProperty("sessions").EnumerateArray().Select(s => (s.GetProperty("number").GetInt32(), s.GetProperty("startsAt").GetDateTimeOffset())));
        Assert.Equal([1, 1, 2, 2], engagement.GetProperty("meetings").EnumerateArray().Select(m => m.GetProperty("round").GetInt32()));
        var touchpoints = engagement.GetProperty("touchpoints").EnumerateArray().ToList();
        Assert.Equal(4, touchpoints.Count(t => t.GetProperty("kind").GetString() == "session-reminder"));
        var posts = touchpoints.Where(t => t.GetProperty("kind").GetString() == "post-reflection").ToList();
        Assert.Equal(4, posts.Count);

        // Each mentee hears of each round's mentor in an email of its own, with an invite at that round's time.
        foreach (var mentee in mentees)
        {
            var emails = await Eventually.Until(t => system.Emails(t),
                all => all.Count(e => e.To.Any(to => to.Address == mentee) && (ToraceSystem.IsMatchEmail(e.Subject) || e.Subject.StartsWith("Session ", StringComparison.Ordinal))) == 4,
                $"two match emails and two invites to {mentee}");
            var mine = emails.Where(e => e.To.Any(to => to.Address == mentee)).ToList();
            Assert.Equal(["Round 1 of 2", "Round 2 of 2"],
                mine.Where(e => ToraceSystem.IsMatchEmail(e.Subject)).Select(e => e.Html!.Contains("Round 1 of 2", StringComparison.Ordinal) ? "Round 1 of 2" : "Round 2 of 2").Order());
            var invited = new List<DateTime>();
            foreach (var invite in mine.Where(e => e.Subject.StartsWith("Session ", StringComparison.Ordinal)))
            {
                var ics = Assert.Single(invite.Attachments ?? [], a => a.FileName == "invite.ics");
                invited.Add(Calendar.Load(await system.Attachment(invite, ics, Ct))!.Events.Single().DtStart!.AsUtc);
            }
            Assert.Equal([start.UtcDateTime, start.AddMinutes(15).UtcDateTime], invited.Order());
        }

        // The first mentee's second-round pairing is declined: only that pairing ends, and its invite is cancelled for both.
        var path = $"/api/v1/engagements/{engagement.GetProperty("id").GetGuid()}";
        var first = engagement.GetProperty("mentees").EnumerateArray().Single(m => m.GetProperty("email").GetString() == mentees[0]).GetProperty("enrolmentId").GetGuid();
        var declined = engagement.GetProperty("meetings").EnumerateArray()
            .Single(m => m.GetProperty("round").GetInt32() == 2 && m.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == first);
        await Post(api.Http, $"/api/v1/programs/{programId}/matches/{declined.GetProperty("matchId").GetGuid()}/decline", new { enrolmentId = first, reason = "Bus duty." });
        var partner = declined.GetProperty("mentor").GetProperty("email").GetString()!;
        await Eventually.Until(t => system.Emails(t),
            all => new[] { mentees[0], partner }.All(who => all.Any(e => e.Subject.StartsWith("Cancelled: session 2 of", StringComparison.Ordinal) && e.To.Any(to => to.Address == who))),
            "the declined pairing's cancellation to both");
        await Eventually.Until(t => api.Get(path, t), e => e.GetProperty("meetings").GetArrayLength() == 3, "three pairings left");
        Assert.DoesNotContain(await system.Emails(Ct), e => e.Subject.StartsWith("Cancelled:", StringComparison.Ordinal) && e.To.Any(to => to.Address == mentees[1]));

        // The coordinator marks both rounds done and hands in the post-reflections: the event completes.
        foreach (var round in new[] { 1, 2 })
        {
            await Post(api.Http, $"{path}/sessions/{round}/complete", new { attended = true });
        }
        foreach (var post in posts)
        {
            await Post(api.Http, $"{path}/touchpoints/{post.GetProperty("id").GetGuid()}/submission", new { response = "Three new contacts at other schools." });
        }
        Assert.Equal("completed", (await api.Get(path, Ct)).GetProperty("status").GetString());

        // Programs counts the event once for each person, with the rounds they met in.
        foreach (var (mentee, rounds) in new[] { (mentees[0], 1), (mentees[1], 2) })
        {
            var person = await Eventually.Until(t => api.Get($"/api/v1/people/{Uri.EscapeDataString(mentee)}", t),
                p => p.GetProperty("engagements").GetArrayLength() == 1 && p.GetProperty("engagements")[0].GetProperty("status").GetString() == "completed"
                    && p.GetProperty("engagements")[0].GetProperty("sessionsCompleted").GetInt32() == rounds,
                $"{mentee}'s one completed engagement with {rounds} round(s)");
            Assert.Equal(2, person.GetProperty("engagements")[0].GetProperty("sessionsPlanned").GetInt32());
        }
    }

    static async Task Post(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }
}

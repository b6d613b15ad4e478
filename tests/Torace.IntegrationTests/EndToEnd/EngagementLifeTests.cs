using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// A three-session engagement from its match to EngagementCompleted through the gateway, with every participant action
/// done through the participant's own signed link, and the coordinator's moves through the district's key.
/// </summary>
public sealed class EngagementLifeTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_three_session_engagement_runs_from_its_match_to_completion_with_every_participant_action()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var firstSession = DateTimeOffset.UtcNow.AddDays(1);
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Three sessions {tag}",
            kind = "topic-intervention",
            topic = "sel",
            // The first date is fixed by the program; the pair agree on the other two.
            sessions = new object[] { new { modality = "virtual", startsAt = firstSession }, new { modality = "either" }, new { modality = "either" } },
            groupSize = 1,
            preReflection = true,
            postReflection = true,
            touchpoints = new[]
            {
                new { afterSession = 1, kind = "action-steps", dueAfterDays = 2, prompt = "Which routine will you try first?" },
                new { afterSession = 2, kind = "work-product", dueAfterDays = 2, prompt = "Share the lesson plan you changed." },
            },
            pool = new { sites = "any" },
            matching = new { review = "manual" },
            message = new { text = "Welcome: bring one routine you want to strengthen." },
            reminders = new { quietHours = false },
        }, Ct);
        var mentor = await api.Enrol(programId, DistrictApi.Person("mentor", $"maria.{tag}@lincoln.example.org", "Lincoln", capacity: 1), Ct);
        var mentee = await api.Enrol(programId, DistrictApi.Person("mentee", $"sam.{tag}@roosevelt.example.org", "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();
        var engagementId = (await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 1, "the engagement"))[0]
            .GetProperty("id").GetGuid();
        var path = $"/api/v1/engagements/{engagementId}";

        var planned = await api.Get(path, Ct);
        Assert.Equal(["scheduled", "unscheduled", "unscheduled"], planned.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(2, Touchpoints(planned, "action-steps").Count + Touchpoints(planned, "work-product").Count);
        Assert.All(Touchpoints(planned, "action-steps").Concat(Touchpoints(planned, "work-product")), t => Assert.Equal(mentee, t.GetProperty("recipientId").GetGuid()));
        Assert.Equal("Which routine will you try first?", Touchpoints(planned, "action-steps")[0].GetProperty("prompt").GetString());
        Assert.Equal(JsonValueKind.Null, Reminder(planned, mentor, 2).GetProperty("dueAt").ValueKind); // no date yet, no reminder time

        // Sam reflects before the first session, with a link to his notes; the pre-reflections fall due at once (the session is tomorrow).
        await Eventually.Until(t => api.Get(path, t), e => Touchpoints(e, "pre-reflection").All(x => x.GetProperty("status").GetString() == "due"),
            "both pre-reflections due");
        await As(mentee, ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "pre-reflection", mentee)}/submission",
            new { response = "I want calmer transitions after lunch.", link = "https://docs.example.org/sam-notes" });
        await As(mentor, ParticipantActions.CompleteSession, HttpMethod.Post, $"{path}/sessions/1/complete", new { attended = true, notes = "Chose two routines." });

        // Between sessions 1 and 2: Sam reports, Maria answers.
        await As(mentee, ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "action-steps", mentee)}/submission",
            new { response = "Tried the countdown routine on Tuesday." });
        await As(mentor, ParticipantActions.GiveFeedback, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "action-steps", mentee)}/feedback",
            new { text = "Good start: try it two days in a row next." });

        // Session 2: Sam proposes, Maria confirms, then the coordinator moves it with a reason.
        var proposed = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(8).Date.AddHours(20), TimeSpan.Zero);
        var afterProposal = await As(mentee, ParticipantActions.ScheduleSession, HttpMethod.Put, $"{path}/sessions/2", new { startsAt = proposed, modality = "virtual" });
        Assert.Contains("unconfirmed-date", afterProposal.GetProperty("attention").EnumerateArray().Select(a => a.GetString()));
        var refused = await Send(system.WithLink(await Link(mentee, ParticipantActions.ScheduleSession)), HttpMethod.Post, $"{path}/sessions/2/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status); // the proposer does not confirm their own date
        var confirmed = await As(mentor, ParticipantActions.ScheduleSession, HttpMethod.Post, $"{path}/sessions/2/confirm", null);
        var second = confirmed.GetProperty("sessions")[1];
        Assert.Equal(("scheduled", 0, proposed), (second.GetProperty("status").GetString(), second.GetProperty("sequence").GetInt32(), second.GetProperty("startsAt").GetDateTimeOffset()));
        Assert.Equal(proposed.AddHours(-24), Reminder(confirmed, mentor, 2).GetProperty("dueAt").GetDateTimeOffset());

        var withoutReason = await Send(api.Http, HttpMethod.Put, $"{path}/sessions/2", new { startsAt = proposed.AddDays(1) });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.Status);
        Assert.True(withoutReason.Body.GetProperty("errors").TryGetProperty("reason", out _), withoutReason.Body.ToString());
        var moved = await Send(api.Http, HttpMethod.Put, $"{path}/sessions/2", new { startsAt = proposed.AddDays(1), reason = "Parent conferences that evening." });
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal(1, moved.Body.GetProperty("sessions")[1].GetProperty("sequence").GetInt32());
        Assert.Equal(proposed.AddDays(1).AddHours(-24), Reminder(moved.Body, mentee, 2).GetProperty("dueAt").GetDateTimeOffset());

        await As(mentee, ParticipantActions.CompleteSession, HttpMethod.Post, $"{path}/sessions/2/complete", new { attended = true });
        await As(mentee, ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "work-product", mentee)}/submission",
            new { response = "My revised plan.", link = "https://docs.example.org/sam-plan" });

        // Session 3, set by the coordinator; then both post-reflections complete the engagement.
        var third = await Send(api.Http, HttpMethod.Put, $"{path}/sessions/3", new { startsAt = proposed.AddDays(15), modality = "in-person" });
        Assert.Equal(HttpStatusCode.OK, third.Status);
        await As(mentor, ParticipantActions.CompleteSession, HttpMethod.Post, $"{path}/sessions/3/complete", new { attended = true });
        Assert.Equal("active", (await api.Get(path, Ct)).GetProperty("status").GetString());
        await As(mentor, ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "post-reflection", mentor)}/submission", new { response = "Sam grew a lot." });
        var done = await As(mentee, ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{path}/touchpoints/{Id(planned, "post-reflection", mentee)}/submission",
            new { response = "Transitions are calmer." });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var feedback = Touchpoints(done, "action-steps").Single();
        Assert.Equal(("submitted", "Good start: try it two days in a row next."), (feedback.GetProperty("status").GetString(), feedback.GetProperty("feedback").GetString()));
        Assert.Equal("https://docs.example.org/sam-notes", Touchpoints(done, "pre-reflection").Single(t => t.GetProperty("recipientId").GetGuid() == mentee).GetProperty("link").GetString());
        Assert.All(done.GetProperty("touchpoints").EnumerateArray(), t => Assert.DoesNotContain(t.GetProperty("status").GetString(), new[] { "pending", "due", "late" }));

        var history = await Eventually.Until(
            async t => (await api.Items($"/api/v1/programs/{programId}/history", t)).EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList(),
            // Each event reaches the history on its own consumer, in no set order: wait for all of them, then count them exactly.
            types => types.Contains("EngagementCompleted") && types.Count(t => t == "SessionCompleted") >= 3 && types.Count(t => t == "TouchpointSubmitted") >= 5,
            "the engagement's sessions, submissions and completion in the program's history");
        Assert.Equal(3, history.Count(t => t == "SessionCompleted"));
        Assert.Equal(5, history.Count(t => t == "TouchpointSubmitted"));
        var plan = await Eventually.Until(t => api.Get($"/api/v1/people/{Uri.EscapeDataString($"sam.{tag}@roosevelt.example.org")}/plan", t),
            p => p.GetProperty("hours").GetDouble() >= 2.25, "Sam's PD plan with the hours of all three sessions");
        Assert.Equal(2.25, plan.GetProperty("hours").GetDouble()); // three sessions of 45 minutes
    }

    [Fact]
    public async Task A_participant_link_is_refused_on_another_engagement_and_a_coordinator_can_end_one_early()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(DistrictApi.ProgramBody($"Two pairs {tag}", DateTimeOffset.UtcNow.AddDays(5)), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"m1.{tag}@a.example.org", "Lincoln", capacity: 1), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"m2.{tag}@a.example.org", "Lincoln", capacity: 1), Ct);
        var sam = await api.Enrol(programId, DistrictApi.Person("mentee", $"sam.{tag}@a.example.org", "Roosevelt"), Ct);
        var kim = await api.Enrol(programId, DistrictApi.Person("mentee", $"kim.{tag}@a.example.org", "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 2);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();
        var engagements = await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 2, "both engagements");
        var kims = engagements.EnumerateArray().Single(e => e.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == kim);
        var kimsPath = $"/api/v1/engagements/{kims.GetProperty("id").GetGuid()}";

        foreach (var (action, method, path, body) in new (string, HttpMethod, string, object?)[]
        {
            (ParticipantActions.ScheduleSession, HttpMethod.Put, $"{kimsPath}/sessions/1", new { startsAt = DateTimeOffset.UtcNow.AddDays(9) }),
            (ParticipantActions.CompleteSession, HttpMethod.Post, $"{kimsPath}/sessions/1/complete", new { attended = true }),
            (ParticipantActions.SubmitTouchpoint, HttpMethod.Post, $"{kimsPath}/touchpoints/{Id(kims, "pre-reflection", kim)}/submission", new { response = "not mine" }),
            (ParticipantActions.WithdrawFromEngagement, HttpMethod.Post, $"{kimsPath}/withdraw", new { }),
        })
        {
            var answer = await Send(system.WithLink(await Link(sam, action)), method, path, body);
            Assert.True(answer.Status == HttpStatusCode.Forbidden, $"{method} {path} as Sam: {answer.Status} {answer.Body}");
        }
        Assert.Equal("active", (await api.Get(kimsPath, Ct)).GetProperty("status").GetString());

        var ended = await Send(api.Http, HttpMethod.Post, $"{kimsPath}/complete", new { reason = "Kim reached her goal in one conversation." });
        Assert.Equal(HttpStatusCode.OK, ended.Status);
        Assert.Equal("completed", ended.Body.GetProperty("status").GetString());
        var tooLong = await Send(api.Http, HttpMethod.Post, $"{kimsPath}/touchpoints/{Id(kims, "pre-reflection", kim)}/submission", new { response = new string('x', 10_001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.True(tooLong.Body.GetProperty("errors").TryGetProperty("response", out _));
    }

    static List<JsonElement> Touchpoints(JsonElement engagement, string kind) =>
        [.. engagement.GetProperty("touchpoints").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == kind)];

    static Guid Id(JsonElement engagement, string kind, Guid recipient) =>
        Touchpoints(engagement, kind).Single(t => t.GetProperty("recipientId").GetGuid() == recipient).GetProperty("id").GetGuid();

    static JsonElement Reminder(JsonElement engagement, Guid recipient, int session) =>
        Touchpoints(engagement, "session-reminder").Single(t => t.GetProperty("recipientId").GetGuid() == recipient && t.GetProperty("sessionNumber").GetInt32() == session);

    Task<string> Link(Guid enrolmentId, string action) => system.ParticipantLink(enrolmentId, action, Ct);

    /// <summary>The participant's own link for the action: the call must succeed; answers the engagement after it.</summary>
    async Task<JsonElement> As(Guid enrolmentId, string action, HttpMethod method, string path, object? body)
    {
        using var participant = system.WithLink(await Link(enrolmentId, action));
        var answer = await Send(participant, method, path, body);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{method} {path} as {action}: {answer.Status} {answer.Body}");
        return answer.Body;
    }

    static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient http, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

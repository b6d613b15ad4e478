using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Scheduling;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// A participant stops their reminders with their own link: reflections and nudges no longer reach them (the mentor's still
/// do), a coordinator can turn them back on, and nobody else can change them.
/// </summary>
public sealed class ReminderOptOutTests(ToraceSystem system)
{
    [Fact]
    public async Task A_participant_who_stops_reminders_gets_none_until_a_coordinator_resumes_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var a = new DistrictApi(system.District("demo-a"));
        var programId = await a.CreateOpenProgram($"Opt-out {run}", DateTimeOffset.UtcNow.AddDays(10), ct);
        var mentorEmail = $"mentor.{run}@a.example.org";
        var menteeEmail = $"mentee.{run}@a.example.org";
        var mentor = await a.Enrol(programId, DistrictApi.Person("mentor", mentorEmail, "Lincoln", capacity: 1), ct);
        var mentee = await a.Enrol(programId, DistrictApi.Person("mentee", menteeEmail, "Hoover"), ct);
        var path = $"/api/v1/programs/{programId}/enrolments/{mentee}/reminders";

        // Before: both are reminded.
        await Reminded(programId, mentor, mentorEmail, mentee, menteeEmail, run, menteeToo: true, ct);

        using var link = system.WithLink(await system.ParticipantLink(mentee, "stop-reminders", ct));
        using (var someoneElse = await link.PutAsJsonAsync($"/api/v1/programs/{programId}/enrolments/{mentor}/reminders", new { stopped = true }, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, someoneElse.StatusCode);
        }
        using (var noChoice = await link.PutAsJsonAsync(path, new { }, ct))
        {
            Assert.Contains("stopped", (await GatewayKeys.Problem(noChoice, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }
        using (var stop = await link.PutAsJsonAsync(path, new { stopped = true }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            Assert.Equal(JsonValueKind.String, (await stop.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("remindersStoppedAt").ValueKind);
        }
        // Another district's key finds no such enrolment.
        using (var demoB = system.District("demo-b"))
        using (var foreign = await demoB.PutAsJsonAsync(path, new { stopped = false }, ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        // Stopped: a reminder that reaches the mentor comes without one for the mentee, and so does every one after it.
        await Reminded(programId, mentor, mentorEmail, mentee, menteeEmail, run, menteeToo: false, ct);
        await Reminded(programId, mentor, mentorEmail, mentee, menteeEmail, run, menteeToo: false, ct, settled: true);

        // A coordinator turns them on again on the mentee's word.
        using (var resume = await a.Http.PutAsJsonAsync(path, new { stopped = false }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await resume.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("remindersStoppedAt").ValueKind);
        }
        await Reminded(programId, mentor, mentorEmail, mentee, menteeEmail, run, menteeToo: true, ct);
    }

    /// <summary>
    /// Publishes reminders due to both (a new touchpoint every two seconds, since the choice reaches Notifications over the
    /// broker a moment after it is made) until one reaches the mentor and its mentee copy is as expected; once
    /// <paramref name="settled"/>, the very first must be.
    /// </summary>
    async Task Reminded(Guid programId, Guid mentor, string mentorEmail, Guid mentee, string menteeEmail, string run, bool menteeToo, CancellationToken ct,
        bool settled = false)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            var label = Guid.NewGuid().ToString("N")[..6];
            var due = new TouchpointDue("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), "pre-reflection", null, DateTimeOffset.UtcNow, $"Opt-out {run} {label}",
                [new Participant(mentor, "Mentor", mentorEmail, "Lincoln", "UTC"), new Participant(mentee, "Mentee", menteeEmail, "Hoover", "UTC")]);
            await system.Publish(ct, (due, NewId.NextGuid()));
            var emails = await Eventually.Until(async t => (await system.Emails(t)).Where(e => e.Subject.Contains(label, StringComparison.Ordinal)).ToList(),
                e => e.Any(m => m.To.Any(t => t.Address == mentorEmail)), "the mentor's reminder");
            // The two emails of one message go out one after the other: give the mentee's a moment to follow.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var toMentee = (await system.Emails(ct)).Any(e => e.Subject.Contains(label, StringComparison.Ordinal) && e.To.Any(t => t.Address == menteeEmail));
            if (toMentee == menteeToo)
            {
                return;
            }
            Assert.False(settled, $"Reminder {attempt} {(toMentee ? "reached" : "did not reach")} the mentee once the choice had settled.");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The mentee's reminders were still {(toMentee ? "sent" : "held")} after 60 s.");
        }
    }
}

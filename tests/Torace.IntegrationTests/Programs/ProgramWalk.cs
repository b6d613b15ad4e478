using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

/// <summary>
/// A small known program walked through the gateway: one mentor (capacity 2) at a site of its own, three mentees at
/// another; a run matches two and waitlists the third; the matches are published; the first pair completes session 1
/// and submits its pre-reflection. Sessions last 60 minutes.
/// </summary>
public sealed record ProgramWalk(Guid ProgramId, string Run, string MentorSite, string MenteeSite, string Mentor, string[] Mentees,
    Guid FirstEngagement, Guid FirstMentee)
{
    public static async Task<ProgramWalk> Through(DistrictApi api, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var body = JsonSerializer.SerializeToNode(DistrictApi.ProgramBody($"Walk {run}", DateTimeOffset.UtcNow.AddDays(1)))!.AsObject();
        body["sessionMinutes"] = 60;
        var programId = await api.CreateOpenProgram(body, ct);
        var mentorSite = $"Lincoln {run}";
        var menteeSite = $"Roosevelt {run}";
        var mentor = $"maria.{run}@lincoln.example.org";
        string[] mentees = [$"sam.{run}@roosevelt.example.org", $"ana.{run}@roosevelt.example.org", $"kim.{run}@roosevelt.example.org"];
        await api.Enrol(programId, DistrictApi.Person("mentor", mentor, mentorSite, capacity: 2), ct);
        foreach (var mentee in mentees)
        {
            await api.Enrol(programId, DistrictApi.Person("mentee", mentee, menteeSite), ct);
        }

        var matchingRun = await api.RunMatching(programId, expectedProposals: 2);
        using (var published = await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{matchingRun.GetProperty("id").GetGuid()}/publish", null, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }
        var engagements = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.GetArrayLength() == 2 && e.EnumerateArray().All(x => x.GetProperty("touchpoints").EnumerateArray()
                .Any(t => t.GetProperty("kind").GetString() == "pre-reflection" && t.GetProperty("status").GetString() == "due")),
            "both engagements with their pre-reflection due");
        var first = engagements[0];
        var engagementId = first.GetProperty("id").GetGuid();
        var firstMentee = first.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid();
        // Each of the pair submits their own pre-reflection.
        foreach (var reflection in first.GetProperty("touchpoints").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "pre-reflection"))
        {
            using var submitted = await api.Http.PostAsJsonAsync($"/api/v1/engagements/{engagementId}/touchpoints/{reflection.GetProperty("id").GetGuid()}/submission",
                new { response = "Ready." }, ct);
            Assert.True(submitted.IsSuccessStatusCode, $"submission: {submitted.StatusCode}");
        }
        using (var completed = await api.Http.PostAsync($"/api/v1/engagements/{engagementId}/sessions/1/complete", null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }
        return new ProgramWalk(programId, run, mentorSite, menteeSite, mentor, mentees, engagementId, firstMentee);
    }
}

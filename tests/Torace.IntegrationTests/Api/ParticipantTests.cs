using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.Api;

/// <summary>A participant's token acts for its own enrolment only: never on another's match, engagement or touchpoint.</summary>
public sealed class ParticipantTests(ToraceSystem system)
{
    [Fact]
    public async Task A_participant_token_for_one_enrolment_is_refused_on_another_ones_match_engagement_and_submission()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Participants {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(6), ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"m1-{programId:N}@a.example.org", "Lincoln", capacity: 1), ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"m2-{programId:N}@a.example.org", "Lincoln", capacity: 1), ct);
        var sam = await api.Enrol(programId, DistrictApi.Person("mentee", $"sam-{programId:N}@a.example.org", "Roosevelt"), ct);
        var kim = await api.Enrol(programId, DistrictApi.Person("mentee", $"kim-{programId:N}@a.example.org", "Roosevelt"), ct);
        var run = await api.RunMatching(programId, expectedProposals: 2);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, ct)).EnsureSuccessStatusCode();
        var engagements = await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 2, "both engagements");
        var matches = await api.Items($"/api/v1/programs/{programId}/matches", ct);
        JsonElement Of(JsonElement list, Guid mentee) => list.EnumerateArray().Single(x => x.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == mentee);
        var kimsMatch = Of(matches, kim).GetProperty("id").GetGuid();
        var kimsEngagement = Of(engagements, kim);
        var samsEngagement = Of(engagements, sam);
        Guid Reflection(JsonElement engagement, Guid whose) => engagement.GetProperty("touchpoints").EnumerateArray()
            .Single(t => t.GetProperty("kind").GetString() == "pre-reflection" && t.GetProperty("recipientId").GetGuid() == whose).GetProperty("id").GetGuid();
        var samsMentor = samsEngagement.GetProperty("mentor").GetProperty("enrolmentId").GetGuid();

        async Task<HttpStatusCode> AsSam(string service, string action, HttpMethod method, string path, object? body = null)
        {
            var token = ServiceToken.Issue(new ServiceTokenOptions { SigningKey = system.ServiceTokenKey },
                new Caller("demo-a", Actors.Participant, new HashSet<string>(), sam.ToString(), EnrolmentId: sam, Action: action), DateTimeOffset.UtcNow);
            using var http = new HttpClient { BaseAddress = system.ServiceUrl(service) };
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode;
        }

        var kimsId = kimsEngagement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("matching", ParticipantActions.DeclineMatch, HttpMethod.Post,
            $"/api/v1/programs/{programId}/matches/{kimsMatch}/decline", new { reason = "not mine" }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("matching", ParticipantActions.DeclineMatch, HttpMethod.Post,
            $"/api/v1/programs/{programId}/matches/{kimsMatch}/decline", new { enrolmentId = kim }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.CompleteSession, HttpMethod.Post,
            $"/api/v1/engagements/{kimsId}/sessions/1/complete"));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.SubmitTouchpoint, HttpMethod.Post,
            $"/api/v1/engagements/{kimsId}/touchpoints/{Reflection(kimsEngagement, kim)}/submission", new { response = "not mine" }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.ScheduleSession, HttpMethod.Put,
            $"/api/v1/engagements/{kimsId}/sessions/1", new { startsAt = DateTimeOffset.UtcNow.AddDays(9) }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.WithdrawFromEngagement, HttpMethod.Post,
            $"/api/v1/engagements/{kimsId}/withdraw", new { }));
        // Within Sam's own engagement, a link acts only on what is Sam's: not the mentor's reflection, not the mentor's feedback.
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.SubmitTouchpoint, HttpMethod.Post,
            $"/api/v1/engagements/{samsEngagement.GetProperty("id").GetGuid()}/touchpoints/{Reflection(samsEngagement, samsMentor)}/submission", new { response = "mine?" }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.GiveFeedback, HttpMethod.Post,
            $"/api/v1/engagements/{samsEngagement.GetProperty("id").GetGuid()}/touchpoints/{Reflection(samsEngagement, sam)}/feedback", new { text = "great job, me" }));
        // A link for one action does not open another, nor any read.
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.DeclineMatch, HttpMethod.Post,
            $"/api/v1/engagements/{samsEngagement.GetProperty("id").GetGuid()}/touchpoints/{Reflection(samsEngagement, sam)}/submission", new { response = "hm" }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsSam("scheduling", ParticipantActions.SubmitTouchpoint, HttpMethod.Get,
            $"/api/v1/programs/{programId}/engagements"));

        // Sam's own link does what it names, for Sam.
        Assert.Equal(HttpStatusCode.OK, await AsSam("scheduling", ParticipantActions.SubmitTouchpoint, HttpMethod.Post,
            $"/api/v1/engagements/{samsEngagement.GetProperty("id").GetGuid()}/touchpoints/{Reflection(samsEngagement, sam)}/submission", new { response = "Ready." }));
        var kimsNow = await api.Get($"/api/v1/engagements/{kimsId}", ct);
        Assert.All(kimsNow.GetProperty("touchpoints").EnumerateArray(), t => Assert.NotEqual("submitted", t.GetProperty("status").GetString()));
        Assert.Equal("published", (await api.Get($"/api/v1/programs/{programId}/matches/{kimsMatch}", ct)).GetProperty("status").GetString());
    }
}

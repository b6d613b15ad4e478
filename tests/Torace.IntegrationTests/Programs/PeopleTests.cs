using System.Net;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

public sealed class PeopleTests(ToraceSystem system)
{
    [Fact]
    public async Task A_persons_page_and_pd_plan_follow_them_from_enrolment_to_a_completed_session()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var walk = await ProgramWalk.Through(api, ct);

        var mentor = await Eventually.Until(
            token => api.Get($"/api/v1/people/{Uri.EscapeDataString(walk.Mentor)}", token),
            p => p.GetProperty("engagements").GetArrayLength() == 2
                && p.GetProperty("engagements").EnumerateArray().Sum(e => e.GetProperty("sessionsCompleted").GetInt32()) == 1
                && p.GetProperty("engagements").EnumerateArray().Sum(e => e.GetProperty("reflectionsSubmitted").GetInt32()) == 1,
            "the mentor's page with both engagements, one session done and one reflection");
        var enrolment = Assert.Single(mentor.GetProperty("enrolments").EnumerateArray());
        Assert.Equal((walk.ProgramId, "mentor", "active"), (enrolment.GetProperty("programId").GetGuid(), enrolment.GetProperty("role").GetString(), enrolment.GetProperty("status").GetString()));
        Assert.Equal(2, mentor.GetProperty("matches").GetArrayLength());
        Assert.All(mentor.GetProperty("matches").EnumerateArray(), m => Assert.Equal("active", m.GetProperty("status").GetString()));

        var plan = await api.Get($"/api/v1/people/{Uri.EscapeDataString(walk.Mentor.ToUpperInvariant())}/plan", ct);
        var program = Assert.Single(plan.GetProperty("programs").EnumerateArray());
        Assert.Equal((walk.ProgramId, "mentor", 1, 60, 1.0, 1),
            (program.GetProperty("programId").GetGuid(), program.GetProperty("role").GetString(), program.GetProperty("sessionsCompleted").GetInt32(),
             program.GetProperty("sessionMinutes").GetInt32(), program.GetProperty("hours").GetDouble(), program.GetProperty("reflectionsSubmitted").GetInt32()));
        Assert.Equal(1.0, plan.GetProperty("hours").GetDouble());

        var waiting = await api.Get($"/api/v1/people/{Uri.EscapeDataString(walk.Mentees[0])}", ct);
        Assert.Single(waiting.GetProperty("enrolments").EnumerateArray());
    }

    [Fact]
    public async Task A_person_the_district_does_not_have_is_404_and_another_districts_key_cannot_see_a_person()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        var b = new DistrictApi(system.District("demo-b"));
        var email = $"lee.{Guid.NewGuid():N}@a.example.org";
        var programId = await a.CreateOpenProgram($"People tenancy {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(5), ct);
        await a.Enrol(programId, DistrictApi.Person("mentee", email, "Lincoln"), ct);

        Assert.Equal(HttpStatusCode.OK, (await a.Http.GetAsync($"/api/v1/people/{email}", ct)).StatusCode);
        foreach (var path in new[] { $"/api/v1/people/{email}", $"/api/v1/people/{email}/plan", "/api/v1/people/nobody-here/plan" })
        {
            using var response = await b.Http.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var tooLong = await a.Http.GetAsync($"/api/v1/people/{new string('x', 101)}", ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True(JsonDocument.Parse(await tooLong.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("errors").TryGetProperty("externalId", out _));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

public sealed class ReportTests(ToraceSystem system)
{
    [Fact]
    public async Task A_programs_report_gives_the_known_numbers_of_a_small_walk_as_json_and_csv()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var walk = await ProgramWalk.Through(api, ct);

        var report = await Eventually.Until(
            token => api.Get($"/api/v1/programs/{walk.ProgramId}/report", token),
            r => r.GetProperty("sessionsCompleted").GetInt32() == 1 && r.GetProperty("totals").GetProperty("reflectionsSubmitted").GetInt32() == 2
                && r.GetProperty("totals").GetProperty("matched").GetInt32() == 3,
            "the report with the session, the reflection and the matches");
        var totals = report.GetProperty("totals");
        Assert.Equal((4, 3, 1, 2), (totals.GetProperty("enrolled").GetInt32(), totals.GetProperty("matched").GetInt32(),
            totals.GetProperty("waitlisted").GetInt32(), totals.GetProperty("sessionsCompleted").GetInt32()));
        Assert.True(totals.GetProperty("timeToMatchP50Hours").GetDouble() >= 0);
        Assert.True(totals.GetProperty("timeToMatchP90Hours").GetDouble() >= totals.GetProperty("timeToMatchP50Hours").GetDouble());
        var sites = report.GetProperty("bySite").EnumerateArray().ToDictionary(s => s.GetProperty("group").GetString()!);
        Assert.Equal((1, 1), (sites[walk.MentorSite].GetProperty("enrolled").GetInt32(), sites[walk.MentorSite].GetProperty("matched").GetInt32()));
        Assert.Equal((3, 2, 1), (sites[walk.MenteeSite].GetProperty("enrolled").GetInt32(), sites[walk.MenteeSite].GetProperty("matched").GetInt32(),
            sites[walk.MenteeSite].GetProperty("waitlisted").GetInt32()));
        var mentees = report.GetProperty("byRole").EnumerateArray().Single(r => r.GetProperty("group").GetString() == "mentee");
        Assert.Equal(1, mentees.GetProperty("waitlisted").GetInt32());
        Assert.Equal([(0, 0), (1, 0), (2, 1)], report.GetProperty("mentorLoad").EnumerateArray()
            .Select(b => (b.GetProperty("mentees").GetInt32(), b.GetProperty("mentors").GetInt32())));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/programs/{walk.ProgramId}/report");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await api.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,group,metric,value", lines[0]);
        Assert.Contains("all,all,waitlisted,1", lines);
        Assert.Contains($"site,{walk.MenteeSite},matched,2", lines);
        Assert.Contains("mentorLoad,2,mentors,1", lines);

        var district = await api.Get("/api/v1/reports/district", ct);
        Assert.Contains(district.GetProperty("bySite").EnumerateArray(), s => s.GetProperty("group").GetString() == walk.MenteeSite);

        var other = new DistrictApi(system.District("demo-b"));
        using var foreign = await other.Http.GetAsync($"/api/v1/programs/{walk.ProgramId}/report", ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var theirs = await other.Get("/api/v1/reports/district", ct);
        Assert.DoesNotContain(theirs.GetProperty("bySite").EnumerateArray(), s => s.GetProperty("group").GetString() == walk.MenteeSite);
    }
}

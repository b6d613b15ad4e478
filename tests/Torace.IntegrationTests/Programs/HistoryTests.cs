using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

public sealed class HistoryTests(ToraceSystem system)
{
    [Fact]
    public async Task A_programs_history_pages_by_cursor_filters_by_type_and_exports_csv()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"History {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(5), ct);
        var enrolled = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            enrolled.Add(await api.Enrol(programId, DistrictApi.Person("mentee", $"h{i}.{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct));
        }

        var first = await api.Get($"/api/v1/programs/{programId}/history?limit=2", ct);
        Assert.Equal(5, first.GetProperty("total").GetInt64());
        Assert.Equal(["ProgramCreated", "ProgramOpened"], first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var created = first.GetProperty("items")[0];
        Assert.Equal("programs", created.GetProperty("service").GetString());
        Assert.StartsWith("integrator:", created.GetProperty("actor").GetString(), StringComparison.Ordinal); // the API key's id
        Assert.False(created.TryGetProperty("summary", out _));
        Assert.StartsWith("History ", created.GetProperty("facts").GetProperty("name").GetString(), StringComparison.Ordinal);

        var seen = first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
        var next = first.GetProperty("next").GetString();
        while (next is not null)
        {
            var page = await api.Get(next, ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
            next = page.TryGetProperty("next", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
        }
        Assert.Equal(5, seen.Distinct().Count());

        var enrolments = await api.Items($"/api/v1/programs/{programId}/history?type=ParticipantEnrolled", ct);
        Assert.Equal(enrolled, enrolments.EnumerateArray().Select(e => Guid.Parse(e.GetProperty("facts").GetProperty("enrolmentId").GetString()!)));

        using var unknown = await api.Http.GetAsync($"/api/v1/programs/{programId}/history?type=SomethingElse", ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True(JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("errors").TryGetProperty("type", out _));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/programs/{programId}/history?type=ParticipantEnrolled");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await api.Http.SendAsync(request, ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,type,at,service,actor,facts", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(",ParticipantEnrolled,", l, StringComparison.Ordinal));

        var other = new DistrictApi(system.District("demo-b"));
        using var foreign = await other.Http.GetAsync($"/api/v1/programs/{programId}/history?type=ParticipantEnrolled", ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}

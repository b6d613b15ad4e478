using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Api;

/// <summary>Calls made one after another behave as on one database, and a parallel sync never conflicts (DESIGN §12).</summary>
public sealed class ConsistencyTests(ToraceSystem system)
{
    [Fact]
    public async Task A_run_started_the_moment_open_and_two_enrolments_were_answered_is_accepted_and_covers_both_a_hundred_times_over()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var programId = await api.CreateOpenProgram($"Back to back {i}", DateTimeOffset.UtcNow.AddDays(4), token);
            var mentor = await api.Enrol(programId, DistrictApi.Person("mentor", $"mentor{i}@a.example.org", "Lincoln", capacity: 1), token);
            var mentee = await api.Enrol(programId, DistrictApi.Person("mentee", $"mentee{i}@a.example.org", "Roosevelt"), token);
            using var started = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matching-runs", new { }, token);
            if (started.StatusCode != HttpStatusCode.Accepted)
            {
                failures.Add($"{i}: start answered {(int)started.StatusCode} {await started.Content.ReadAsStringAsync(token)}");
                return;
            }
            using (var read = await api.Http.GetAsync(started.Headers.Location, token))
            {
                // 200 once Matching holds the run, 202 with Retry-After for a moment before; never a 404.
                if (read.StatusCode != HttpStatusCode.OK && (read.StatusCode != HttpStatusCode.Accepted || read.Headers.RetryAfter is null))
                {
                    failures.Add($"{i}: the run's Location answered {(int)read.StatusCode} right after the 202");
                    return;
                }
            }
            var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync(token)).RootElement.GetProperty("id").GetGuid();
            var run = await api.Finished(programId, runId, token);
            var proposal = run.GetProperty("proposals").EnumerateArray().SingleOrDefault();
            if (run.GetProperty("coveredEnrolments").GetInt32() != 2 || proposal.ValueKind != JsonValueKind.Object
                || proposal.GetProperty("mentorId").GetGuid() != mentor || proposal.GetProperty("menteeIds")[0].GetGuid() != mentee)
            {
                failures.Add($"{i}: the run did not cover both enrolments: {run}");
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Sixteen_callers_enrolling_four_hundred_people_never_conflict_and_a_second_pass_answers_the_same_ids()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram("HR sync", DateTimeOffset.UtcNow.AddDays(10), ct);
        var people = Enumerable.Range(0, 400)
            .Select(i => DistrictApi.Person(i % 5 == 0 ? "mentor" : "mentee", $"staff{i}@sync.example.org", $"School {i % 7}", capacity: 4))
            .ToList();

        async Task<IReadOnlyList<(HttpStatusCode Status, Guid Id)>> Sync() =>
            await Task.WhenAll(people.Chunk(25).Select(async batch =>
            {
                var answers = new List<(HttpStatusCode, Guid)>();
                foreach (var person in batch)
                {
                    using var response = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", person, ct);
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                    answers.Add((response.StatusCode, body.TryGetProperty("id", out var id) ? id.GetGuid() : Guid.Empty));
                }
                return answers;
            })).ContinueWith(t => (IReadOnlyList<(HttpStatusCode, Guid)>)[.. t.Result.SelectMany(a => a)], ct);

        var first = await Sync();
        var second = await Sync();

        Assert.All(first, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.All(second, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(first.Select(a => a.Id), second.Select(a => a.Id));
        Assert.Equal(400, first.Select(a => a.Id).Distinct().Count());
        var program = await api.Get($"/api/v1/programs/{programId}", ct);
        Assert.Equal(80, program.GetProperty("mentors").GetInt32());
        Assert.Equal(320, program.GetProperty("mentees").GetInt32());
        var listed = await api.Get($"/api/v1/programs/{programId}/enrolments?role=mentor&limit=500", ct);
        Assert.Equal(80, listed.GetProperty("total").GetInt64());
    }
}

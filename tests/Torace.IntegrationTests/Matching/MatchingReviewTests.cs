using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Matching;

/// <summary>
/// A coordinator's matching round trip through the gateway: run, review (refused swap, remove, add, pin), publish,
/// a decline that re-matches, and a waitlisted mentee placed when a new mentor enrols.
/// </summary>
public sealed class MatchingReviewTests(ToraceSystem system)
{
    [Fact]
    public async Task A_reviewed_run_is_published_as_MatchProposed_and_a_decline_rematches_from_the_waitlist()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Family engagement {tag}",
            kind = "one-off",
            topic = "family-engagement",
            sessions = new[] { new { modality = "either", startsAt = DateTimeOffset.UtcNow.AddDays(14) } },
            groupSize = 1,
            pool = new { sites = "any" },
            matching = new { review = "manual", weights = new Dictionary<string, int> { ["topic"] = 8, ["crossSite"] = 3 } },
            message = new { text = "Meet once, bring a family letter." },
        }, ct);

        string Email(string who) => $"{who}.{tag}@district-a.example.org";
        var lincolnMentor = await api.Enrol(programId, DistrictApi.Person("mentor", Email("ana"), "Lincoln", capacity: 1), ct);
        var roosevelt = await api.Enrol(programId, DistrictApi.Person("mentor", Email("ben"), "Roosevelt", capacity: 1, modality: "in-person"), ct);
        var inPerson = await api.Enrol(programId, DistrictApi.Person("mentee", Email("cy"), "Roosevelt", modality: "in-person"), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", Email("di"), "Lincoln"), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", Email("ed"), "Hoover"), ct);

        // Ben meets only in person at Roosevelt, so Cy is his; Di and Ed compete for Ana's one place. Enrolments
        // reach Matching in any order: wait for all three mentees (two proposals then mean both mentors are there).
        await Eventually.Until(async token =>
        {
            using var response = await api.Http.GetAsync($"/api/v1/programs/{programId}/waitlist", token);
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("items").GetArrayLength() : 0;
        }, waiting => waiting == 3, "all three mentees known to Matching");
        var run = await api.RunMatching(programId, expectedProposals: 2);
        var runId = run.GetProperty("id").GetGuid();
        var runPath = $"/api/v1/programs/{programId}/matching-runs/{runId}";
        var anaProposal = run.GetProperty("proposals").EnumerateArray().Single(p => p.GetProperty("mentorId").GetGuid() == lincolnMentor);
        var anasMentee = anaProposal.GetProperty("menteeIds")[0].GetGuid();
        var waiting = Assert.Single(run.GetProperty("unmatched").EnumerateArray());
        var waitingMentee = waiting.GetProperty("enrolmentId").GetGuid();
        Assert.Equal("capacity-exhausted", waiting.GetProperty("reason").GetString());
        Assert.Contains(anaProposal.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("topic (weight 8)", StringComparison.Ordinal));

        using (var badSwap = await api.Http.PostAsJsonAsync($"{runPath}/swaps", new { menteeA = anasMentee }, ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badSwap.StatusCode);
            Assert.True((await badSwap.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors").TryGetProperty("menteeB", out _));
        }
        using (var ruleBreaking = await api.Http.PostAsJsonAsync($"{runPath}/swaps", new { menteeA = anasMentee, menteeB = inPerson }, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, ruleBreaking.StatusCode);
            Assert.Contains("modalities do not meet", await ruleBreaking.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // The coordinator prefers the waiting mentee for Ana: remove, add by hand, pin Ben's.
        (await api.Http.DeleteAsync($"{runPath}/proposals/{anaProposal.GetProperty("id").GetGuid()}", ct)).EnsureSuccessStatusCode();
        using (var added = await api.Http.PostAsJsonAsync($"{runPath}/proposals", new { mentorId = lincolnMentor, menteeIds = new[] { waitingMentee } }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }
        using (var overCapacity = await api.Http.PostAsJsonAsync($"{runPath}/proposals", new { mentorId = lincolnMentor, menteeIds = new[] { anasMentee } }, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, overCapacity.StatusCode);
            Assert.Contains("place(s) left", await overCapacity.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        var benProposal = run.GetProperty("proposals").EnumerateArray().Single(p => p.GetProperty("mentorId").GetGuid() == roosevelt).GetProperty("id").GetGuid();
        (await api.Http.PostAsync($"{runPath}/proposals/{benProposal}/pin", null, ct)).EnsureSuccessStatusCode();

        // A fresh run may keep the pinned proposals of this one and match only the rest.
        using (var unknownRun = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matching-runs", new { keepPinnedFrom = Guid.NewGuid() }, ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknownRun.StatusCode);
            Assert.Contains("keepPinnedFrom", await unknownRun.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        var rerunId = await DistrictApi.IdOf(
            await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matching-runs", new { keepPinnedFrom = runId }, ct), HttpStatusCode.Accepted, ct);
        var rerun = await api.Finished(programId, rerunId, ct);
        Assert.Equal("completed", rerun.GetProperty("status").GetString());
        Assert.Contains(rerun.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("pinned").GetBoolean() && p.GetProperty("mentorId").GetGuid() == roosevelt);

        // A large run reads a page at a time; the totals say how much there is, and next leads to the rest.
        var first = await api.Get($"{runPath}?limit=1", ct);
        Assert.Equal(1, first.GetProperty("proposals").GetArrayLength());
        Assert.Equal(1, first.GetProperty("unmatched").GetArrayLength());
        var page = await api.Get(first.GetProperty("next").GetString()!, ct);
        Assert.Equal(1, page.GetProperty("proposals").GetArrayLength());
        Assert.Equal(2, page.GetProperty("proposalCount").GetInt32());
        Assert.Equal(0, page.GetProperty("unmatched").GetArrayLength());
        Assert.Equal(1, page.GetProperty("unmatchedCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

        var reviewed = await api.Get(runPath, ct);
        Assert.Contains(reviewed.GetProperty("unmatched").EnumerateArray(),
            u => u.GetProperty("enrolmentId").GetGuid() == anasMentee && u.GetProperty("reason").GetString() == "removed-by-coordinator");
        Assert.Contains(reviewed.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("source").GetString() == "coordinator");

        // District B sees none of it.
        var districtB = new DistrictApi(system.District("demo-b"));
        using (var peek = await districtB.Http.GetAsync(runPath, ct))
        using (var steal = await districtB.Http.PostAsync($"{runPath}/publish", null, ct))
        using (var list = await districtB.Http.GetAsync($"/api/v1/programs/{programId}/waitlist", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, steal.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        }

        using (var published = await api.Http.PostAsync($"{runPath}/publish", null, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
            Assert.Equal("published", (await published.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString());
        }
        using (var again = await api.Http.PostAsync($"{runPath}/publish", null, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        await Eventually.Until(
            token => History(api, programId, token),
            types => types.Count(t => t == "MatchProposed") == 2,
            "two MatchProposed events in the program history");

        // The hand-added mentee declines Ana: the pair is never proposed again, and Ana's freed place goes to the
        // mentee the coordinator removed, at once.
        var matches = await api.Items($"/api/v1/programs/{programId}/matches", ct);
        var anaMatch = matches.EnumerateArray().Single(m => m.GetProperty("mentor").GetProperty("enrolmentId").GetGuid() == lincolnMentor).GetProperty("id").GetGuid();
        using (var nobody = await districtB.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matches/{anaMatch}/decline", new { enrolmentId = waitingMentee }, ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        }
        using (var declined = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matches/{anaMatch}/decline", new { enrolmentId = waitingMentee, reason = "schedule" }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        }
        var rematched = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/matches", token),
            m => m.EnumerateArray().Any(x => x.GetProperty("status").GetString() == "published"
                && x.GetProperty("mentor").GetProperty("enrolmentId").GetGuid() == lincolnMentor
                && x.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == anasMentee),
            "Ana re-matched with the mentee waiting");
        Assert.Contains(rematched.EnumerateArray(), x => x.GetProperty("id").GetGuid() == anaMatch && x.GetProperty("status").GetString() == "declined");

        var waitlist = await api.Items($"/api/v1/programs/{programId}/waitlist", ct);
        var decliner = Assert.Single(waitlist.EnumerateArray());
        Assert.Equal(waitingMentee, decliner.GetProperty("enrolmentId").GetGuid());
        Assert.Equal("no-eligible-mentor-in-pool", decliner.GetProperty("reason").GetString());

        // A new mentor enrols: the waitlist is matched without anyone starting a run.
        var fay = await api.Enrol(programId, DistrictApi.Person("mentor", Email("fay"), "Hoover", capacity: 2), ct);
        await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/matches", token),
            m => m.EnumerateArray().Any(x => x.GetProperty("mentor").GetProperty("enrolmentId").GetGuid() == fay
                && x.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == waitingMentee),
            "the waitlisted mentee matched with the new mentor");
        Assert.Empty((await api.Items($"/api/v1/programs/{programId}/waitlist", ct)).EnumerateArray());

        var history = await Eventually.Until(
            token => History(api, programId, token),
            types => types.Count(t => t == "MatchProposed") == 4 && types.Contains("MatchDeclined"),
            "every MatchProposed and the MatchDeclined in the program history");
        Assert.Equal(1, history.Count(t => t == "MatchDeclined"));
        await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.EnumerateArray().Count(x => x.GetProperty("status").GetString() == "cancelled") == 1,
            "the declined match's engagement cancelled");
    }

    [Fact]
    public async Task A_continuous_program_matches_a_newcomer_as_soon_as_a_mentor_is_free_and_again_when_a_matched_mentee_withdraws()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Career move drop-in {tag}",
            kind = "informational-interview",
            topic = "career-move",
            sessions = new[] { new { modality = "virtual" } },
            matching = new { mode = "continuous" },
            message = new { text = "Ask about the role you want next." },
        }, ct);

        // The mentee may reach Matching before the program or the mentor does; either order ends in a match.
        var first = await api.Enrol(programId, DistrictApi.Person("mentee", $"first.{tag}@a.example.org", "Lincoln"), ct);
        var mentor = await api.Enrol(programId, DistrictApi.Person("mentor", $"principal.{tag}@a.example.org", "District Office", capacity: 1), ct);

        var matches = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/matches", token),
            m => m.GetArrayLength() == 1,
            "the newcomer matched without a run being started");
        Assert.Equal(mentor, matches[0].GetProperty("mentor").GetProperty("enrolmentId").GetGuid());
        Assert.Equal(first, matches[0].GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid());

        var second = await api.Enrol(programId, DistrictApi.Person("mentee", $"second.{tag}@a.example.org", "Lincoln"), ct);
        var waiting = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/waitlist", token),
            w => w.GetArrayLength() == 1 && w[0].GetProperty("reason").GetString() == "capacity-exhausted",
            "the second newcomer waiting for capacity");
        Assert.Equal(second, waiting[0].GetProperty("enrolmentId").GetGuid());

        // The first mentee leaves the program: the match ends as withdrawn, its engagement stops, and the mentor's
        // freed place goes to the mentee who was waiting.
        var firstMatch = matches[0].GetProperty("id").GetGuid();
        using (var withdrawn = await api.Http.DeleteAsync($"/api/v1/programs/{programId}/enrolments/{first}", ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        }
        var after = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/matches", token),
            m => m.EnumerateArray().Any(x => x.GetProperty("status").GetString() == "published"
                && x.GetProperty("mentees")[0].GetProperty("enrolmentId").GetGuid() == second),
            "the waiting mentee matched with the freed mentor");
        Assert.Contains(after.EnumerateArray(), x => x.GetProperty("id").GetGuid() == firstMatch && x.GetProperty("status").GetString() == "withdrawn");
        await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.EnumerateArray().Any(x => x.GetProperty("matchId").GetGuid() == firstMatch && x.GetProperty("status").GetString() == "cancelled"),
            "the withdrawn mentee's engagement cancelled");
        Assert.Empty((await api.Items($"/api/v1/programs/{programId}/waitlist", ct)).EnumerateArray());
    }

    [Fact]
    public async Task A_speed_mentoring_run_gives_everyone_a_new_partner_in_each_round()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(new
        {
            name = $"Speed mentoring night {tag}",
            kind = "speed-mentoring",
            topic = "sel",
            sessions = new[] { new { modality = "virtual" } },
            matching = new { rounds = 2 },
            message = new { text = "Ten minutes each; bring one question." },
        }, ct);
        foreach (var who in new[] { "m1", "m2" })
        {
            await api.Enrol(programId, DistrictApi.Person("mentor", $"{who}.{tag}@a.example.org", "Lincoln", capacity: 1), ct);
        }
        foreach (var who in new[] { "e1", "e2" })
        {
            await api.Enrol(programId, DistrictApi.Person("mentee", $"{who}.{tag}@a.example.org", "Hoover"), ct);
        }

        var run = await api.RunMatching(programId, expectedProposals: 4);

        var pairs = run.GetProperty("proposals").EnumerateArray()
            .Select(p => (Round: p.GetProperty("round").GetInt32(), Mentor: p.GetProperty("mentorId").GetGuid(), Mentee: p.GetProperty("menteeIds")[0].GetGuid()))
            .ToList();
        Assert.Equal([1, 1, 2, 2], pairs.Select(p => p.Round).Order());
        Assert.Equal(4, pairs.Select(p => (p.Mentor, p.Mentee)).Distinct().Count());
    }

    static async Task<List<string>> History(DistrictApi api, Guid programId, CancellationToken ct) =>
        [.. (await api.Items($"/api/v1/programs/{programId}/history", ct)).EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
}

using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Api.Client;

/// <summary>
/// The client NSwag generates from the merged document (see the test project file) walks the whole path an integrator
/// walks. Every answer is read as the document describes it: an undocumented status, a missing required property or a
/// value outside its enum throws, so a document that lies fails here.
/// </summary>
public sealed class GeneratedClientTests(ToraceSystem system)
{
    [Fact]
    public async Task Walks_a_program_from_creation_through_matching_and_a_session_to_its_history()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = system.District("demo-a");
        var client = new ToraceClient(http);
        var tag = Guid.NewGuid().ToString("N")[..8];

        // Create (a retried create with the same Idempotency-Key is the same program) and open.
        var request = Program($"Generated client {tag}", DateTimeOffset.UtcNow.AddDays(1));
        var created = await client.CreateProgramAsync(null, $"create-{tag}", request, ct);
        Assert.Equal(created.Id, (await client.CreateProgramAsync(null, $"create-{tag}", request, ct)).Id);
        Assert.Equal(ProgramResponseStatus.Draft, created.Status);
        Assert.Equal(ProgramResponseStatus.Open, (await client.OpenProgramAsync(created.Id, null, null, ct)).Status);
        Assert.Contains((await client.ListProgramsAsync(ProgramStatus.Open, 500, null, ct)).Items, p => p.Id == created.Id);

        // Enrol a mentor and a mentee; enrolling the same person again is the same enrolment.
        var mentor = await client.EnrolParticipantAsync(created.Id, null, null, Person(EnrolRequestRole.Mentor, $"maria.{tag}@lincoln.example.org", "Lincoln High"), ct);
        var mentee = await client.EnrolParticipantAsync(created.Id, null, null, Person(EnrolRequestRole.Mentee, $"sam.{tag}@roosevelt.example.org", "Roosevelt Middle"), ct);
        Assert.Equal(mentee.Id, (await client.EnrolParticipantAsync(created.Id, null, null, Person(EnrolRequestRole.Mentee, $"sam.{tag}@roosevelt.example.org", "Roosevelt Middle"), ct)).Id);
        var mentees = await client.ListEnrolmentsAsync(created.Id, Role.Mentee, null, null, null, ct);
        Assert.Equal([mentee.Id], mentees.Items.Select(e => e.Id));
        Assert.Equal(EnrolmentResponseStatus.Active, (await client.GetEnrolmentAsync(created.Id, mentor.Id, ct)).Status);

        // Start a run right after the enrolments were answered: it covers both and proposes the pair.
        var accepted = await client.StartMatchingRunAsync(created.Id, null, null, new StartMatchingRequest(), ct);
        // Until Matching has taken the run up its Location answers 202, which the generated client raises as ApiException<RunAccepted>.
        var finished = await Eventually.Until(async t =>
            {
                try
                {
                    return await client.GetMatchingRunAsync(created.Id, accepted.Id, null, null, t);
                }
                catch (ApiException<RunAccepted> pending) when (pending.StatusCode == 202 && pending.Result.Status == RunAcceptedStatus.Running)
                {
                    return null;
                }
            },
            r => r is not null && r.Status != RunResponseStatus.Running, "the run worker to finish the run");
        var run = finished!;
        Assert.Equal(RunResponseStatus.Completed, run.Status);
        Assert.Equal(2, run.CoveredEnrolments);
        var proposal = Assert.Single(run.Proposals);
        Assert.Equal(mentor.Id, proposal.MentorId);
        Assert.Equal([mentee.Id], proposal.MenteeIds);
        Assert.NotEmpty(proposal.Reasons);
        Assert.Contains((await client.ListMatchingRunsAsync(created.Id, null, null, ct)).Items, r => r.Id == run.Id && r.Status == RunSummaryStatus.Completed);

        // Review (pin the proposal) and publish; the matches are there at once, engagements and emails follow.
        Assert.True(Assert.Single((await client.PinProposalAsync(created.Id, run.Id, proposal.Id, null, null, ct)).Proposals).Pinned);
        await client.PublishMatchingRunAsync(created.Id, run.Id, null, null, ct);
        var match = await Eventually.Until(t => client.ListMatchesAsync(created.Id, run.Id, null, null, null, t), m => m.Items.Count == 1, "the published match");
        Assert.Equal(MatchResponseStatus.Published, (await client.GetMatchAsync(created.Id, match.Items.Single().Id, ct)).Status);

        var engagements = await Eventually.Until(t => client.ListEngagementsAsync(created.Id, null, null, null, t), e => e.Items.Count == 1, "the engagement");
        var engagement = await client.GetEngagementAsync(engagements.Items.Single().Id, ct);
        Assert.Equal(EngagementResponseStatus.Active, engagement.Status);
        Assert.Equal(mentor.Id, engagement.Mentor?.EnrolmentId);
        Assert.Null(engagement.Meetings); // not a speed-mentoring event
        Assert.Equal(2, engagement.Sessions.Count);

        // The coordinator moves the second session (a reason is required); the first took place, with notes.
        var secondDate = engagement.Sessions.Single(s => s.Number == 2).StartsAt!.Value.AddDays(1);
        var moved = await client.SetSessionDateAsync(engagement.Id, 2, null, new SessionDateRequest { StartsAt = secondDate, Reason = "Parent conferences that evening." }, ct);
        Assert.Equal((secondDate, 1), (moved.Sessions.Single(s => s.Number == 2).StartsAt!.Value, moved.Sessions.Single(s => s.Number == 2).Sequence));
        var completed = await client.CompleteSessionAsync(engagement.Id, 1, null, null, new SessionCompletionRequest { Attended = true, Notes = "Chose two routines." }, ct);
        Assert.Equal(SchedulingSessionResponseStatus.Completed, completed.Sessions.Single(s => s.Number == 1).Status);
        string[] steps = ["ProgramCreated", "ProgramOpened", "ParticipantEnrolled", "MatchingRequested", "MatchProposed", "EngagementScheduled", "SessionCompleted"];
        var history = await Eventually.Until(t => client.GetProgramHistoryAsync(created.Id, null, 500, null, t),
            h => steps.All(s => h.Items.Any(e => e.Type == s)), "every step in the program's history");
        Assert.Equal(history.Items.OrderBy(e => e.At).Select(e => e.Type), history.Items.Select(e => e.Type));
        Assert.Contains((await Eventually.Until(t => client.ListNotificationsAsync(created.Id, mentor.Email, null, null, null, t), n => n.Items.Count > 0, "the mentor's match email")).Items,
            n => n.Kind == "match");

        // The problem answers are the ones the document promises.
        var unknown = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetProgramAsync(Guid.NewGuid(), ct));
        Assert.Equal(404, unknown.StatusCode);
        var invalid = Person(EnrolRequestRole.Mentee, "not-an-email", "Roosevelt Middle");
        var bad = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => client.EnrolParticipantAsync(created.Id, null, null, invalid, ct));
        Assert.Contains("email", bad.Result.Errors!.Keys);
    }

    static CreateProgramRequest Program(string name, DateTimeOffset firstSession) => new()
    {
        Name = name,
        Kind = CreateProgramRequestKind.TopicIntervention,
        Topic = "sel",
        Sessions = [new() { Modality = SessionRequestModality.Virtual, StartsAt = firstSession }, new() { Modality = SessionRequestModality.Virtual, StartsAt = firstSession.AddDays(7) }],
        GroupSize = 1,
        PreReflection = true,
        PostReflection = true,
        Touchpoints = [new() { AfterSession = 1, Kind = TouchpointRequestKind.ActionSteps, DueAfterDays = 3 }],
        Pool = new() { Sites = PoolRequestSites.Any },
        Matching = new() { Review = MatchingRequestReview.Manual },
        Message = new() { Text = $"Welcome to {name}.", GuideUrl = new Uri("https://example.org/guides/two-session").ToString() },
    };

    static EnrolRequest Person(EnrolRequestRole role, string email, string site) => new()
    {
        Role = role,
        ExternalId = email,
        Name = email.Split('@')[0],
        Email = email,
        Site = site,
        Topics = ["sel"],
        Modality = EnrolRequestModality.Virtual,
        TimeZone = "America/Chicago",
        Capacity = role == EnrolRequestRole.Mentor ? 2 : null,
    };
}

using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class ProgramRequestValidationTests
{
    internal static CreateProgramRequest Valid() => new(
        "SEL", "topic-intervention", "sel",
        [new SessionRequest("virtual", null), new SessionRequest("in-person", null)],
        1, true, true, [new TouchpointRequest(1, "action-steps", 3)], new PoolRequest("other"),
        new MatchingRequest("manual", new Dictionary<string, int> { ["topic"] = 7 }), new MessageRequest("Welcome", "https://example.org/guide"));

    internal static IReadOnlyList<string> FieldsWrongIn(CreateProgramRequest request)
    {
        var validation = new Validation();
        request.ToDefinition(validation);
        var problem = validation.IsValid ? null : validation.Problem();
        return problem is null ? [] : [.. problem.ProblemDetails.Errors.Keys.Order()];
    }

    [Fact]
    public void A_complete_request_becomes_a_definition_with_numbered_sessions()
    {
        var definition = Valid().ToDefinition(new Validation());

        Assert.NotNull(definition);
        Assert.Equal([1, 2], definition.Sessions.Select(s => s.Number));
        Assert.Equal("other", definition.Pool.Sites);
    }

    [Fact]
    public void Every_wrong_field_is_named()
    {
        var request = Valid() with
        {
            Kind = "webinar",
            Sessions = [new SessionRequest("hologram", null)],
            GroupSize = 0,
            Touchpoints = [new TouchpointRequest(1, "gossip", 3)],
            Pool = new PoolRequest("nearby"),
            Message = new MessageRequest("", "not a url"),
        };

        Assert.Equal(
            ["groupSize", "kind", "message.guideUrl", "message.text", "pool.sites", "sessions[0].modality", "touchpoints[0].afterSession", "touchpoints[0].kind"],
            FieldsWrongIn(request));
    }

    [Fact]
    public void A_weight_outside_zero_to_ten_is_named_by_its_factor()
    {
        var request = Valid() with { Matching = new MatchingRequest("auto", new Dictionary<string, int> { ["crossSite"] = 11 }) };

        Assert.Equal(["matching.weights.crossSite"], FieldsWrongIn(request));
    }

    [Fact]
    public void Matching_and_pool_settings_name_each_wrong_field()
    {
        var request = Valid() with
        {
            Matching = new MatchingRequest("manual", new Dictionary<string, int> { ["charisma"] = 4 }, Mode: "sometimes", Rounds: 3),
            Pool = new PoolRequest("any", MentorRoles: [" "], Exclusions: [new ExcludedPairRequest("T-1", null)], MaxConcurrentMentees: 0),
        };

        Assert.Equal(
            ["matching.mode", "matching.rounds", "matching.weights.charisma", "pool.exclusions[0].mentee", "pool.maxConcurrentMentees", "pool.mentorRoles"],
            FieldsWrongIn(request));
    }

    [Fact]
    public void Speed_mentoring_defaults_to_three_rounds_and_keeps_the_pool_rules()
    {
        var request = Valid() with
        {
            Kind = "speed-mentoring",
            Sessions = [new SessionRequest("in-person", null)],
            Touchpoints = [],
            Pool = new PoolRequest("any", MenteeRoles: ["teacher"], Exclusions: [new ExcludedPairRequest("T-1", "T-2")], NoRepeatPairing: true),
        };

        var definition = request.ToDefinition(new Validation());

        Assert.NotNull(definition);
        Assert.Equal(3, definition.Matching.Rounds);
        Assert.Equal(["teacher"], definition.Pool.MenteeRoles);
        Assert.Equal([new ExcludedPair("T-1", "T-2")], definition.Pool.Exclusions);
        Assert.True(definition.Pool.NoRepeatPairing);
    }

    [Fact]
    public void A_speed_mentoring_event_in_rounds_is_one_session_the_rounds_follow_one_another_in()
    {
        var twoSessions = Valid() with { Kind = "speed-mentoring", Touchpoints = [] };

        Assert.Equal(["sessions"], FieldsWrongIn(twoSessions));
        Assert.Empty(FieldsWrongIn(twoSessions with { Matching = new MatchingRequest("manual", null, Rounds: 1) }));
    }

    [Fact]
    public void An_enrolment_names_wrong_matching_profile_fields()
    {
        var validation = new Validation();
        var enrolled = new EnrolRequest("mentor", "T-1", "Sam", "sam@a.org", "Lincoln", ["sel"], "virtual", "UTC", 2,
                JobRole: "", YearsExperience: 70, Availability: ["mon-am", "someday"], Requests: ["T-2"])
            .ToEvent(Guid.NewGuid(), DateTimeOffset.UnixEpoch, validation);

        Assert.Null(enrolled);
        Assert.Equal(["availability", "jobRole", "requests", "yearsExperience"], validation.Problem().ProblemDetails.Errors.Keys.Order());
    }

    [Fact]
    public void An_enrolment_names_its_wrong_fields()
    {
        var validation = new Validation();
        var enrolled = new EnrolRequest("coach", "", "Sam", "not-an-email", "Lincoln", ["sel"], "hologram", "Mars/Olympus", null)
            .ToEvent(Guid.NewGuid(), DateTimeOffset.UnixEpoch, validation);

        Assert.Null(enrolled);
        Assert.Equal(["email", "externalId", "modality", "role", "timeZone"], validation.Problem().ProblemDetails.Errors.Keys.Order());
    }

    [Fact]
    public void A_mentor_gets_capacity_one_when_none_is_given_and_topics_are_normalised()
    {
        var enrolled = new EnrolRequest("mentor", "T-9", "Ana", "ana@a.org", "Lincoln", [" SEL ", "sel", "Math"], null, "America/Chicago", null)
            .ToEvent(Guid.NewGuid(), DateTimeOffset.UnixEpoch, new Validation());

        Assert.NotNull(enrolled);
        Assert.Equal(1, enrolled.Capacity);
        Assert.Equal(["sel", "math"], enrolled.Topics);
        Assert.Equal("either", enrolled.Modality);
    }
}

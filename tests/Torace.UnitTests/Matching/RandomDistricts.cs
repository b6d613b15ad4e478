using Torace.Matching.Engine;

namespace Torace.UnitTests.Matching;

/// <summary>Small random districts that touch every rule: few people, so an exhaustive solver can check the engine.</summary>
static class RandomDistricts
{
    static readonly string[] Sites = ["Lincoln", "Roosevelt", "Hoover"];
    static readonly string[] Topics = ["sel", "literacy", "math", "family-engagement"];
    static readonly string[] Modalities = ["virtual", "in-person", "either", "either", "either"];
    static readonly string[] Roles = ["teacher", "counselor", ""];

    public static MatchingProblem Create(int seed, int maxMentors = 4, int maxMentees = 6, int rounds = 1)
    {
        var random = new Random(seed);
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        IReadOnlyList<string> SomeTopics(int max) => [.. Enumerable.Range(0, random.Next(max + 1)).Select(_ => Pick(Topics)).Distinct()];
        Guid NewId() => new(random.Next(), (short)random.Next(short.MaxValue), (short)random.Next(short.MaxValue), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]);

        // Empty sides happen, but rarely: most districts should have someone to match.
        int Count(int max) => random.Next(12) == 0 ? 0 : random.Next(1, max + 1);
        var mentors = Enumerable.Range(0, Count(maxMentors))
            .Select(i => new Person(NewId(), $"staff-{i}", Pick(Sites), SomeTopics(3), Pick(Modalities), random.Next(6) == 0 ? 0 : random.Next(1, 4),
                Pick(Roles), random.Next(10), 60 * random.Next(-1, 2), random.Next(3) == 0 ? 0 : random.Next(1, 16)))
            .ToList();
        var mentees = Enumerable.Range(0, Count(maxMentees))
            .Select(i => new Person(NewId(), random.Next(10) == 0 && mentors.Count > 0 ? Pick(mentors).ExternalId : $"staff-{10 + i}",
                Pick(Sites), SomeTopics(2), Pick(Modalities), 0, Pick(Roles), random.Next(10), 60 * random.Next(-1, 2),
                random.Next(3) == 0 ? 0 : random.Next(1, 16),
                random.Next(4) == 0 && mentors.Count > 0 ? [Pick(mentors).ExternalId] : null))
            .ToList();

        IEnumerable<PersonPair> SomePairs(int count) => mentors.Count == 0 || mentees.Count == 0
            ? []
            : Enumerable.Range(0, count).Select(_ => new PersonPair(Pick(mentors).ExternalId, Pick(mentees).ExternalId));
        // Mostly soft weights, so most districts match someone; now and then a must-have.
        int Weight() => random.Next(14) == 0 ? MatchingWeights.Must : random.Next(MatchingWeights.Must);

        var pool = new PoolRules(Pick(["any", "any", "any", "same", "other"]), random.Next(1, 4))
        {
            MentorRoles = random.Next(10) == 0 ? ["teacher"] : [],
            MenteeRoles = random.Next(10) == 0 ? ["teacher", "counselor"] : [],
            Exclusions = [.. SomePairs(random.Next(3))],
            NoRepeatPairing = random.Next(2) == 0,
            MaxConcurrentMentees = random.Next(4) == 0 ? random.Next(2, 5) : null,
        };
        return new MatchingProblem(pool, new MatchingWeights(Weight(), Weight(), Weight(), random.Next(11), Weight(), Weight(), Weight()), mentors, mentees)
        {
            History = new MatchingHistory
            {
                Loads = mentors.ToDictionary(m => m.ExternalId, _ => new MentorLoad(random.Next(6), random.Next(3))),
                PastPairs = SomePairs(random.Next(3)).ToHashSet(),
                DeclinedPairs = SomePairs(random.Next(2)).ToHashSet(),
            },
            Rounds = rounds,
        };
    }
}

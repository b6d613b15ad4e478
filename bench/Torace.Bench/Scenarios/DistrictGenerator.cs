using Torace.Matching.Engine;

namespace Torace.Bench.Scenarios;

/// <summary>
/// A large district, the same for the same seed: about one school per 50 mentors, topics with a few popular ones,
/// mostly teachers, a modality mix, two time zones, weekly availability, a few mentee requests, and a history in
/// which one mentor in ten is a "super mentor" who has carried many mentees before.
/// </summary>
public static class DistrictGenerator
{
    public static readonly string[] Topics =
    [
        "sel", "lesson-planning", "family-engagement", "classroom-management", "literacy", "math-instruction",
        "career-move", "special-education", "english-learners", "assessment", "technology", "stem", "arts-integration",
        "restorative-practices", "new-teacher", "leadership", "coaching", "attendance", "behaviour", "college-readiness",
        "early-childhood", "wellness", "equity", "data-use",
    ];

    static readonly (string Role, double Share)[] Roles =
        [("teacher", 0.62), ("counselor", 0.1), ("instructional-coach", 0.1), ("administrator", 0.08), ("paraprofessional", 0.1)];

    static readonly string[] Kinds = ["Elementary", "Middle", "High", "Academy", "Early Learning Center"];
    static readonly string[] Names = ["Lincoln", "Roosevelt", "Hoover", "Jefferson", "Garfield", "Madison", "Adams", "Franklin", "Kennedy", "Washington"];

    public static MatchingProblem Create(int mentees, int mentors, int seed, MatchingWeights? weights = null)
    {
        var random = new Random(seed);
        var sites = Math.Max(1, mentors / 50);
        string Site() => $"{Names[random.Next(sites) % Names.Length]} {Kinds[random.Next(sites) % Kinds.Length]} {random.Next(sites)}";
        var siteNames = Enumerable.Range(0, sites).Select(_ => Site()).Distinct().ToArray();

        // Zipf-like: topic i is picked with weight 1/(i+1).
        var topicWeights = Topics.Select((_, i) => 1.0 / (i + 1)).ToArray();
        var totalWeight = topicWeights.Sum();
        string Topic()
        {
            var x = random.NextDouble() * totalWeight;
            for (var i = 0; i < Topics.Length; i++)
            {
                if ((x -= topicWeights[i]) <= 0)
                {
                    return Topics[i];
                }
            }
            return Topics[^1];
        }
        IReadOnlyList<string> SomeTopics(int min, int max) => [.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Topic()).Distinct()];
        string Role()
        {
            var x = random.NextDouble();
            foreach (var (role, share) in Roles)
            {
                if ((x -= share) <= 0)
                {
                    return role;
                }
            }
            return "teacher";
        }
        string Modality() => random.NextDouble() switch { < 0.55 => "either", < 0.85 => "virtual", _ => "in-person" };
        int Offset() => random.NextDouble() < 0.85 ? -360 : -300;
        long Availability()
        {
            if (random.NextDouble() < 0.1)
            {
                return 0;
            }
            var bits = 0L;
            for (var i = random.Next(4, 10); i > 0; i--)
            {
                bits |= 1L << random.Next(21);
            }
            return bits;
        }
        Guid Id() => new([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]);

        var mentorList = Enumerable.Range(0, mentors)
            .Select(i => new Person(Id(), $"staff-m{i}", siteNames[random.Next(siteNames.Length)], SomeTopics(2, 4), Modality(),
                Capacity: 1 + random.Next(8), Role(), 5 + random.Next(25), Offset(), Availability()))
            .ToList();
        var popular = mentorList.Take(Math.Max(1, mentors / 100)).Select(m => m.ExternalId).ToArray();
        var menteeList = Enumerable.Range(0, mentees)
            .Select(i => new Person(Id(), $"staff-e{i}", siteNames[random.Next(siteNames.Length)], SomeTopics(1, 3), Modality(),
                0, Role(), random.Next(12), Offset(), Availability(),
                random.NextDouble() < 0.02 ? [popular[random.Next(popular.Length)]] : null))
            .ToList();
        var loads = mentorList.ToDictionary(m => m.ExternalId, _ => random.NextDouble() < 0.1
            ? new MentorLoad(10 + random.Next(31), random.Next(3))
            : new MentorLoad(random.Next(6), random.Next(3)));

        return new MatchingProblem(new PoolRules("any", 1), weights ?? new MatchingWeights(CrossSite: 3), mentorList, menteeList)
        {
            History = new MatchingHistory { Loads = loads },
        };
    }
}

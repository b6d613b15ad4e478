namespace Torace.Matching.Engine;

/// <summary>
/// Speed mentoring solved as one event, not round by round: the most meetings the pool allows over all rounds
/// (nobody meets the same person twice, a mentee meets one mentor per round, a mentor at most its places per round),
/// shared out so that everyone gets a turn before anyone gets a second, at the least cost, then laid out into
/// rounds. Round by round, an early round's choice can leave a later round short; solving the event whole cannot.
/// Any set of pairs in which nobody has more meetings than there are rounds fits into the rounds (König's
/// edge-colouring theorem), and <see cref="Schedule"/> finds such a layout, spreading each mentor's mentees evenly
/// so the load ladder costs what the flow priced.
/// </summary>
internal static class SpeedRounds
{
    /// <summary>Above this many mentor × mentee pairs the event is solved round by round on the sparse graph instead.</summary>
    public const long EventPairs = 4_000_000;

    public static bool Fits(CompiledProblem problem) => (long)problem.MentorCount * problem.MenteeCount <= EventPairs;

    public static MatchingResult Match(CompiledProblem problem, MentorIndex index, int rounds, int groupSize)
    {
        int[] perRound = [.. problem.Capacity.Select(c => Math.Min(c, groupSize))];
        var graph = CandidateGraph.Build(problem, index, everyPair: true);
        var (pairs, _) = FlowSolver.Solve(graph, perRound, rounds);
        var roundOf = Schedule(pairs, problem.MentorCount, problem.MenteeCount, rounds);

        // Every pair meets once: with all of them blocked, a mentee who sits a round out is told why as in any run:
        // capacity-exhausted while an eligible mentor they do not meet exists, otherwise no mentor is left to meet.
        foreach (var (e, j) in pairs)
        {
            problem.BlockPair(j, e);
        }
        var proposals = new List<Proposal>();
        var unmatched = new List<Unmatched>();
        long total = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var mentorOf = new int[problem.MenteeCount];
            Array.Fill(mentorOf, -1);
            for (var p = 0; p < pairs.Count; p++)
            {
                if (roundOf[p] == round)
                {
                    mentorOf[pairs[p].Mentee] = pairs[p].Mentor;
                }
            }
            total += problem.Cost(mentorOf);
            proposals.AddRange(Explanations.Proposals(problem, mentorOf, groupSize, round));
            unmatched.AddRange(Explanations.Unmatched(problem, index, mentorOf, round));
        }
        return new MatchingResult(proposals, unmatched) { TotalCost = total };
    }

    /// <summary>
    /// The round (1-based) of each pair. Each mentor is split into stand-ins of at most <paramref name="rounds"/>
    /// pairs each (all full but the last), and the pairs are coloured so that no stand-in and no mentee has two pairs
    /// in one round: a mentor with t mentees then has ⌊t/R⌋ or ⌈t/R⌉ of them in every round.
    /// </summary>
    internal static int[] Schedule(IReadOnlyList<(int Mentee, int Mentor)> pairs, int mentorCount, int menteeCount, int rounds)
    {
        var standIn = new int[pairs.Count];
        var seen = new int[mentorCount];
        var firstStandIn = new int[mentorCount];
        var perMentor = new int[mentorCount];
        foreach (var (_, j) in pairs)
        {
            perMentor[j]++;
        }
        var standIns = 0;
        for (var j = 0; j < mentorCount; j++)
        {
            firstStandIn[j] = standIns;
            standIns += (perMentor[j] + rounds - 1) / rounds;
        }
        for (var p = 0; p < pairs.Count; p++)
        {
            var j = pairs[p].Mentor;
            standIn[p] = firstStandIn[j] + seen[j]++ / rounds;
        }

        // atStandIn / atMentee [node * rounds + colour] = the pair of that colour at the node, or -1.
        var atStandIn = new int[standIns * rounds];
        var atMentee = new int[menteeCount * rounds];
        Array.Fill(atStandIn, -1);
        Array.Fill(atMentee, -1);
        var colour = new int[pairs.Count];
        int Free(int[] at, int node)
        {
            for (var c = 0; c < rounds; c++)
            {
                if (at[node * rounds + c] < 0)
                {
                    return c;
                }
            }
            throw new InvalidOperationException("A participant has more meetings than there are rounds.");
        }

        for (var p = 0; p < pairs.Count; p++)
        {
            int u = standIn[p], v = pairs[p].Mentee;
            var a = Free(atStandIn, u);
            if (atMentee[v * rounds + a] >= 0)
            {
                // a is taken at the mentee, b is free there: swap a and b along the path that starts at the mentee
                // with its a-pair. In a bipartite graph that path never reaches u (u lacks a), so a frees up at v.
                var b = Free(atMentee, v);
                var path = new List<int>();
                for (int node = v, want = a, onMenteeSide = 1; ; onMenteeSide ^= 1, want = want == a ? b : a)
                {
                    var q = onMenteeSide == 1 ? atMentee[node * rounds + want] : atStandIn[node * rounds + want];
                    if (q < 0)
                    {
                        break;
                    }
                    path.Add(q);
                    node = onMenteeSide == 1 ? standIn[q] : pairs[q].Mentee;
                }
                foreach (var q in path)
                {
                    atStandIn[standIn[q] * rounds + colour[q]] = -1;
                    atMentee[pairs[q].Mentee * rounds + colour[q]] = -1;
                }
                foreach (var q in path)
                {
                    colour[q] = colour[q] == a ? b : a;
                    atStandIn[standIn[q] * rounds + colour[q]] = q;
                    atMentee[pairs[q].Mentee * rounds + colour[q]] = q;
                }
            }
            colour[p] = a;
            atStandIn[u * rounds + a] = p;
            atMentee[v * rounds + a] = p;
        }
        return [.. colour.Select(c => c + 1)];
    }
}

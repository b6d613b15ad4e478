namespace Torace.Matching.Engine;

/// <summary>
/// Mentors grouped the way the hard constraints cut them (site and modality), plus per-topic lists, so that a mentee's
/// candidates are found without looking at every mentor. Lists are ordered by load carried, lightest first.
/// </summary>
internal sealed class MentorIndex
{
    readonly CompiledProblem problem;
    readonly int[][] virtualAt, inPersonAt, eitherAt;
    readonly int[] remoteCapable;

    /// <summary>Mentors having each topic, lightest load first.</summary>
    public int[][] ByTopic { get; }

    /// <summary>Topics that at least one mentor in the pool offers.</summary>
    public bool[] TopicCovered { get; }

    public MentorIndex(CompiledProblem problem)
    {
        this.problem = problem;
        var order = Enumerable.Range(0, problem.MentorCount)
            .Where(problem.MentorInPool)
            .OrderBy(j => problem.Carried[j]).ThenBy(j => j)
            .ToArray();
        int[][] BySite(byte modality) => [.. Enumerable.Range(0, problem.SiteCount)
            .Select(s => order.Where(j => problem.MentorSite(j) == s && problem.MentorModality(j) == modality).ToArray())];
        virtualAt = BySite(CompiledProblem.Virtual);
        inPersonAt = BySite(CompiledProblem.InPerson);
        eitherAt = BySite(CompiledProblem.Either);
        remoteCapable = [.. order.Where(j => problem.MentorModality(j) != CompiledProblem.InPerson)];
        ByTopic = [.. Enumerable.Range(0, problem.TopicCount).Select(t => order.Where(j => problem.MentorHasTopic(j, t)).ToArray())];
        TopicCovered = [.. ByTopic.Select(list => list.Length > 0)];
    }

    /// <summary>
    /// The lists that together hold every mentor this mentee could be eligible for (a superset: the pair check still
    /// decides). The "other sites" rule is left to the pair check.
    /// </summary>
    public IReadOnlyList<int[]> ListsFor(int e)
    {
        if (!problem.MenteeInPool(e))
        {
            return [];
        }
        var site = problem.MenteeSite(e);
        var sameAllowed = problem.SiteRule != 2;
        return (problem.MenteeModality(e), problem.SiteRule) switch
        {
            (CompiledProblem.InPerson, _) => sameAllowed ? [inPersonAt[site], eitherAt[site]] : [],
            (CompiledProblem.Virtual, 1) => [virtualAt[site], eitherAt[site]],
            (CompiledProblem.Virtual, _) => [remoteCapable],
            (_, 1) => [virtualAt[site], eitherAt[site], inPersonAt[site]],
            (_, 0) => [remoteCapable, inPersonAt[site]],
            _ => [remoteCapable],
        };
    }

    /// <summary>Mentees' own-site lists, for the same-site probe.</summary>
    public IReadOnlyList<int[]> OwnSiteListsFor(int e)
    {
        if (!problem.MenteeInPool(e) || problem.SiteRule == 2)
        {
            return [];
        }
        var site = problem.MenteeSite(e);
        return problem.MenteeModality(e) switch
        {
            CompiledProblem.InPerson => [inPersonAt[site], eitherAt[site]],
            CompiledProblem.Virtual => [virtualAt[site], eitherAt[site]],
            _ => [virtualAt[site], eitherAt[site], inPersonAt[site]],
        };
    }
}

using Marten;
using JasperFx.Events;
using Torace.Matching.Problems;
using Torace.Matching.Runs;

namespace Torace.Matching.Matches;

/// <summary>The one way a match comes to be: a published run's proposals each start a match stream.</summary>
public static class MatchPublishing
{
    public static void Publish(IDocumentSession session, IEventStream<ProgramLedger> ledger, ProblemContext context, MatchingRun run, MatchingRunPublished published)
    {
        foreach (var (proposal, matchId) in run.Proposals.Zip(published.MatchIds))
        {
            session.Events.StartStream<Match>(matchId, new MatchPublished(
                matchId, run.Id, context.Program,
                MatchedPerson.From(context.People[proposal.MentorId]),
                [.. proposal.MenteeIds.Select(id => MatchedPerson.From(context.People[id]))],
                proposal.Score, proposal.Reasons, published.PublishedAt, proposal.Round));
        }
        ledger.AppendOne(new MatchesPublished(context.Program.Id, run.Id, published.MatchIds, published.PublishedAt));
    }
}

using Marten;

namespace Torace.Platform.Messaging;

/// <summary>
/// The one way Torace copes with messages that overtake each other (README, "Messages out of order"). Messages about
/// one subject (an enrolment, a match, an engagement) travel on different queues, so any of them can arrive first. A
/// consumer folds what it heard into the subject's sighting: a versioned document keyed by the subject's id, created by
/// whichever message comes first. A message that arrives before the subject itself leaves its news there; the message
/// that brings the subject reads it and applies it in the same transaction, so nobody who left is placed or reminded
/// in between. Older news than the sighting holds is recognised by the time the event carries and ignored.
/// </summary>
/// <remarks>
/// Register the document with <c>UseOptimisticConcurrency(true)</c>: two consumers writing one sighting at once then
/// collide on its key (insert) or version (update), and the retry reads the other's write.
/// </remarks>
public static class Sightings
{
    /// <summary>Folds <paramref name="news"/> into the sighting of <paramref name="id"/>, starting from <paramref name="first"/> when there is none yet.</summary>
    public static async Task<TSighting> Note<TSighting>(IDocumentSession session, Guid id, Func<TSighting> first, Func<TSighting, TSighting> news,
        CancellationToken ct) where TSighting : class
    {
        var known = await session.LoadAsync<TSighting>(id, ct);
        var noted = news(known ?? first());
        if (!Equals(known, noted))
        {
            Save(session, known, noted); // news that changes nothing writes nothing, so it conflicts with nobody
        }
        return noted;
    }

    /// <summary>Writes a sighting read as <paramref name="known"/> (null: none yet) as <paramref name="noted"/>.</summary>
    public static void Save<TSighting>(IDocumentSession session, TSighting? known, TSighting noted) where TSighting : class
    {
        if (known is null)
        {
            session.Insert(noted);
        }
        else
        {
            session.Update(noted);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Marten;
using Torace.Contracts;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Templates;

namespace Torace.Notifications.Invites;

/// <summary>
/// A session whose invite went out: who has it in their calendar, and as which date and sequence. Kept so that an
/// engagement that ends cancels exactly the events its participants were sent. One document per (match, session), so
/// two sessions moved at once never overwrite each other; an older date never replaces a newer one.
/// </summary>
public sealed record SessionInvite(Guid Id, Guid MatchId, string ProgramName, IReadOnlyList<Participant> Attendees, InvitedSession Session, bool Cancelled = false)
{
    public static Guid KeyOf(Guid matchId, int sessionNumber) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"invite|{matchId:N}|{sessionNumber}")).AsSpan(0, 16));

    public static SessionInvite For(Guid matchId, string programName, IReadOnlyList<Participant> attendees, InvitedSession session) =>
        new(KeyOf(matchId, session.Number), matchId, programName, attendees, session);

    /// <summary>
    /// Stores what a calendar now holds, unless it already holds a later move of the session or the session was
    /// cancelled. Optimistic concurrency (NotificationsService) turns two writers of one session into a retry of one.
    /// </summary>
    public static async Task Remember(IDocumentSession session, SessionInvite invite, CancellationToken ct)
    {
        if (await session.LoadAsync<SessionInvite>(invite.Id, ct) is not { } known)
        {
            session.Insert(invite);
        }
        else if (!known.Cancelled && known.Session.Sequence <= invite.Session.Sequence)
        {
            session.Store(invite);
        }
    }
}

/// <summary>
/// A match whose engagement ended: no invite goes out for it any more, whichever message arrives later (each message
/// type has its own queue, so a date set just before the end can be handled after it).
/// </summary>
public sealed record EndedMatch(Guid Id, DateTimeOffset EndedAt);

/// <summary>What a date set or moved says about its session, whichever message brought it.</summary>
public sealed record SessionDate(
    Guid MatchId, Guid EngagementId, string ProgramName, IReadOnlyList<Participant> Participants, InvitedSession Session,
    DateTimeOffset? PreviousStartsAt, string? Reason, DateTimeOffset At)
{
    public SessionInvite Invite => SessionInvite.For(InviteEmails.MatchOf(MatchId, EngagementId), ProgramName, Participants, Session);
}

/// <summary>
/// A session's date set or moved: every participant gets the (updated) invite, same UID, the sequence the move gave it;
/// nothing once the match has ended.
/// </summary>
public abstract class SessionDateNotifier<TMessage>(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : Notifier<TMessage>(store, deliveries, templates)
    where TMessage : class, IDistrictEvent
{
    protected abstract SessionDate DateOf(TMessage message);

    protected override IEnumerable<EmailMessage> Compose(TMessage message, TemplateSet templates)
    {
        var date = DateOf(message);
        return InviteEmails.ForDate(date.Invite, date.ProgramName, date.Participants, date.PreviousStartsAt, date.Reason, sender, date.At, templates);
    }

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var invite = DateOf(message).Invite;
        if (await session.LoadAsync<EndedMatch>(invite.MatchId, ct) is null)
        {
            await base.Handle(message, messageId, session, ct);
            await SessionInvite.Remember(session, invite, ct);
        }
    }
}

public sealed class NotifySessionScheduled(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : SessionDateNotifier<SessionScheduled>(store, deliveries, templates, sender)
{
    protected override SessionDate DateOf(SessionScheduled m) => new(m.MatchId, m.EngagementId, m.ProgramName, m.Participants,
        new InvitedSession(m.SessionNumber, m.StartsAt, m.Minutes, m.Modality, m.Sequence), null, null, m.ScheduledAt);
}

public sealed class NotifySessionRescheduled(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : SessionDateNotifier<SessionRescheduled>(store, deliveries, templates, sender)
{
    protected override SessionDate DateOf(SessionRescheduled m) => new(m.MatchId, m.EngagementId, m.ProgramName, m.Participants,
        new InvitedSession(m.SessionNumber, m.StartsAt, m.Minutes, m.Modality, m.Sequence), m.PreviousStartsAt, m.Reason, m.RescheduledAt);
}

/// <summary>
/// Matches ended early: every invite sent for a session still ahead is cancelled, and each match is marked ended so
/// that no invite goes out for it after this.
/// </summary>
public abstract class InvitesEnd<TMessage>(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : Notifier<TMessage>(store, deliveries, templates)
    where TMessage : class, IDistrictEvent
{
    /// <summary>The matches (their invites' keys) that end, why, and when.</summary>
    protected abstract (IReadOnlyList<Guid> Matches, string? Reason, DateTimeOffset At) Ending(TMessage message);

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var (matchIds, reason, at) = Ending(message);
        var sent = await session.Query<SessionInvite>().Where(i => i.MatchId.IsOneOf(matchIds.ToArray()) && !i.Cancelled).ToListAsync(ct);
        await Send(message, messageId, InviteEmails.ForEnd(sent, reason, sender, at, await TemplatesFor(message, ct)), ct);
        foreach (var invite in sent)
        {
            session.Store(invite with { Cancelled = true });
        }
        foreach (var matchId in matchIds)
        {
            session.Store(new EndedMatch(matchId, at));
        }
    }
}

/// <summary>An engagement ended early (a decline, a withdrawal, the program cancelled): its match's invites, or every pairing's of an event.</summary>
public sealed class NotifyEngagementEnded(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : InvitesEnd<EngagementEnded>(store, deliveries, templates, sender)
{
    protected override (IReadOnlyList<Guid> Matches, string? Reason, DateTimeOffset At) Ending(EngagementEnded message) =>
        ([.. message.Matches.Select(id => InviteEmails.MatchOf(id, message.EngagementId))], message.Reason, message.EndedAt);
}

/// <summary>One pairing of a speed-mentoring event ended while the event goes on: that pairing's invite.</summary>
public sealed class NotifyPairingEnded(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender) : InvitesEnd<PairingEnded>(store, deliveries, templates, sender)
{
    protected override (IReadOnlyList<Guid> Matches, string? Reason, DateTimeOffset At) Ending(PairingEnded message) =>
        ([message.MatchId], message.Reason, message.EndedAt);
}

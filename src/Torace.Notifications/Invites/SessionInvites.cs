using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Torace.Contracts;

namespace Torace.Notifications.Invites;

/// <summary>A session as a calendar event: when, how long, how it meets, and how often its date has moved.</summary>
public sealed record InvitedSession(int Number, DateTimeOffset StartsAt, int Minutes, string Modality, int Sequence);

/// <summary>
/// The iCalendar text sent with an email: one session (one UID, as iTIP allows one per message; Outlook reads only the
/// first event of a message), its method (a new or moved date, or a cancellation).
/// </summary>
public sealed record CalendarInvite(string Method, string Uid, string Ics);

/// <summary>
/// The calendar invites of a match's sessions (RFC 5545/5546). A session keeps one UID from the match email through
/// every move to its cancellation, so a participant's calendar updates the one event it already has; SEQUENCE is the
/// scheduler's count of moves, and a cancellation raises it once more. Pure: the time stamp comes in.
/// </summary>
public static class SessionInvites
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    public static string Uid(Guid matchId, int sessionNumber) => $"session-{sessionNumber}.{matchId:N}@torace";

    public static CalendarInvite Requesting(Guid matchId, string programName, IReadOnlyList<Participant> attendees,
        InvitedSession session, Sender organizer, DateTimeOffset stampedAt) =>
        Build(Request, matchId, programName, attendees, session, organizer, stampedAt);

    /// <summary>The session cancelled, its sequence raised once.</summary>
    public static CalendarInvite Cancelling(Guid matchId, string programName, IReadOnlyList<Participant> attendees,
        InvitedSession session, Sender organizer, DateTimeOffset stampedAt) =>
        Build(Cancel, matchId, programName, attendees, session with { Sequence = session.Sequence + 1 }, organizer, stampedAt);

    static CalendarInvite Build(string method, Guid matchId, string programName, IReadOnlyList<Participant> attendees,
        InvitedSession session, Sender organizer, DateTimeOffset stampedAt)
    {
        var calendar = new Calendar { Method = method, ProductId = "-//Torace//Mentoring sessions//EN" };
        {
            var meeting = new CalendarEvent
            {
                Uid = Uid(matchId, session.Number),
                Sequence = session.Sequence,
                DtStamp = Utc(stampedAt),
                DtStart = Utc(session.StartsAt),
                DtEnd = Utc(session.StartsAt.AddMinutes(session.Minutes)),
                Summary = $"{programName}: mentoring session {session.Number}",
                Description = $"With {string.Join(", ", attendees.Select(a => $"{a.Name} ({a.Site})"))}.",
                Location = Where(session.Modality),
                Status = method == Cancel ? EventStatus.Cancelled : EventStatus.Confirmed,
                Organizer = new Organizer($"mailto:{organizer.Address}") { CommonName = organizer.Name },
            };
            foreach (var person in attendees)
            {
                meeting.Attendees.Add(new Attendee($"mailto:{person.Email}")
                {
                    CommonName = person.Name,
                    Role = ParticipationRole.RequiredParticipant,
                    ParticipationStatus = EventParticipationStatus.NeedsAction,
                    // The organizer is a no-reply sender: no Accept/Decline buttons that answer nobody.
                    Rsvp = false,
                });
            }
            calendar.Events.Add(meeting);
        }
        return new CalendarInvite(method, Uid(matchId, session.Number), new CalendarSerializer().SerializeToString(calendar)!);
    }

    static CalDateTime Utc(DateTimeOffset at) => new(at.UtcDateTime, CalDateTime.UtcTzId);

    public static string Where(string modality) => modality switch
    {
        "virtual" => "Online (a video call)",
        "in-person" => "In person",
        _ => "In person or online, as you agree",
    };
}

/// <summary>Who the emails come from (Notifications:From), also the organizer of every invite.</summary>
public sealed record Sender(string Name, string Address);

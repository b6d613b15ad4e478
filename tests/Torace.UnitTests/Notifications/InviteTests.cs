using Ical.Net;
using MimeKit;
using Torace.Contracts.Matching;
using Torace.Contracts;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;

namespace Torace.UnitTests.Notifications;

/// <summary>The calendar invites are read back with Ical.Net, as a calendar client would read them.</summary>
public class InviteTests
{
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam", "sam@a.org", "Roosevelt", "America/New_York");
    static readonly Sender From = new("Torace", "no-reply@torace.local");
    static readonly DateTimeOffset FirstSession = new(2026, 9, 8, 15, 0, 0, TimeSpan.Zero);

    static MatchProposed Match(params SessionPlan[] sessions) => new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL circles",
        Mentor, [Mentee], sessions, false, false, [], new MatchMessage("Welcome.", null), 1, [], FirstSession.AddDays(-7),
        EngagementRules.Default with { SessionMinutes = 30 });

    static Calendar Read(CalendarInvite? invite) => Calendar.Load(Assert.IsType<CalendarInvite>(invite).Ics)!;

    [Fact]
    public void A_match_with_a_fixed_date_invites_everyone_to_that_session_only_in_an_email_of_its_own()
    {
        var match = Match(new SessionPlan(1, "virtual", FirstSession), new SessionPlan(2, "either", null));

        var invited = Assert.Single(EmailComposer.Invited(match));
        var emails = InviteEmails.ForDate(invited, match.ProgramName, invited.Attendees, null, null, From, match.ProposedAt, TemplateSet.Default).ToList();

        Assert.All(EmailComposer.ForMatch(match, ActionLinks.None, TemplateSet.Default), e => Assert.Null(e.Invite));
        Assert.Equal(["maria@a.org", "sam@a.org"], emails.Select(e => e.To));
        Assert.All(emails, e => Assert.Equal((InviteEmails.SessionScheduledKind, SessionInvites.Request), (e.Kind, e.Invite?.Method)));
        var calendar = Read(emails[1].Invite);
        Assert.Equal("REQUEST", calendar.Method);
        var session = Assert.Single(calendar.Events);
        Assert.Equal(SessionInvites.Uid(match.MatchId, 1), session.Uid);
        Assert.Equal(0, session.Sequence);
        Assert.Equal(FirstSession.UtcDateTime, session.DtStart!.AsUtc);
        Assert.Equal(FirstSession.AddMinutes(30).UtcDateTime, session.DtEnd!.AsUtc);
        Assert.Equal(["mailto:maria@a.org", "mailto:sam@a.org"], session.Attendees.Select(a => a.Value!.ToString()));
        Assert.All(session.Attendees, a => Assert.False(a.Rsvp));
        Assert.Equal("mailto:no-reply@torace.local", session.Organizer!.Value!.ToString());
        Assert.Equal(SessionInvites.Where("virtual"), session.Location);
    }

    [Fact]
    public void A_match_without_a_date_has_nothing_to_invite_to()
    {
        Assert.Empty(EmailComposer.Invited(Match(new SessionPlan(1, "either", null))));
    }

    [Fact]
    public void Two_sessions_invited_by_one_message_are_two_deliveries()
    {
        var message = Guid.NewGuid();

        Assert.NotEqual(Delivery.KeyOf(message, "sam@a.org", InviteEmails.SessionScheduledKind, SessionInvites.Uid(message, 1)),
            Delivery.KeyOf(message, "sam@a.org", InviteEmails.SessionScheduledKind, SessionInvites.Uid(message, 2)));
        Assert.Equal(Delivery.KeyOf(message, "sam@a.org", "match"), Delivery.KeyOf(message, "sam@a.org", "match", null));
    }

    [Fact]
    public void A_moved_session_keeps_its_uid_and_carries_the_sequence_of_the_move()
    {
        var matchId = Guid.NewGuid();
        var moved = SessionInvite.For(matchId, "SEL circles", [Mentor, Mentee], new InvitedSession(2, FirstSession.AddDays(7), 45, "in-person", 2));

        var emails = InviteEmails.ForDate(moved, "SEL circles", [Mentor, Mentee], FirstSession.AddDays(6), "Parent conferences.", From, FirstSession, TemplateSet.Default).ToList();

        Assert.All(emails, e => Assert.Equal(InviteEmails.SessionRescheduledKind, e.Kind));
        Assert.Contains("Reason: Parent conferences.", emails[0].Html);
        var session = Assert.Single(Read(emails[0].Invite).Events);
        Assert.Equal((SessionInvites.Uid(matchId, 2), 2), (session.Uid, session.Sequence));
        Assert.Equal(FirstSession.AddDays(7).UtcDateTime, session.DtStart!.AsUtc);
    }

    [Fact]
    public void A_first_date_is_a_scheduled_session_not_a_move()
    {
        var invite = SessionInvite.For(Guid.NewGuid(), "SEL circles", [Mentor, Mentee], new InvitedSession(1, FirstSession, 45, "virtual", 0));

        var emails = InviteEmails.ForDate(invite, "SEL circles", [Mentor, Mentee], null, null, From, FirstSession, TemplateSet.Default).ToList();

        Assert.All(emails, e => Assert.Equal(InviteEmails.SessionScheduledKind, e.Kind));
        Assert.Equal(0, Assert.Single(Read(emails[0].Invite).Events).Sequence);
    }

    [Fact]
    public void An_ended_engagement_cancels_each_session_still_ahead_for_the_people_invited_to_it()
    {
        var matchId = Guid.NewGuid();
        var kim = new Participant(Guid.NewGuid(), "Kim", "kim@a.org", "Roosevelt", "Europe/London");
        var sent = new[]
        {
            SessionInvite.For(matchId, "SEL circles", [Mentor, Mentee], new InvitedSession(1, FirstSession, 45, "virtual", 0)),
            SessionInvite.For(matchId, "SEL circles", [Mentor, Mentee, kim], new InvitedSession(2, FirstSession.AddDays(7), 45, "virtual", 3)),
        };

        // Ended the day after session 1: it stays in the calendars; session 2 is cancelled.
        var emails = InviteEmails.ForEnd(sent, "Declined: schedule conflict.", From, FirstSession.AddDays(1), TemplateSet.Default).ToList();

        Assert.Equal(["maria@a.org", "sam@a.org", "kim@a.org"], emails.Select(e => e.To));
        Assert.All(emails, e => Assert.Contains("Reason: Declined: schedule conflict.", e.Html));
        var calendar = Read(emails[2].Invite);
        Assert.Equal("CANCEL", calendar.Method);
        var cancelled = Assert.Single(calendar.Events);
        Assert.Equal((SessionInvites.Uid(matchId, 2), 4, "CANCELLED"), (cancelled.Uid, cancelled.Sequence, cancelled.Status));
        Assert.Equal(3, cancelled.Attendees.Count);
        Assert.Empty(InviteEmails.ForEnd([], null, From, FirstSession, TemplateSet.Default));
    }

    [Fact]
    public void An_email_with_an_invite_carries_it_as_a_calendar_part_and_as_an_attachment()
    {
        var invite = SessionInvite.For(Guid.NewGuid(), "SEL circles", [Mentor, Mentee], new InvitedSession(1, FirstSession, 45, "virtual", 0));
        var email = InviteEmails.ForDate(invite, "SEL circles", [Mentor, Mentee], null, null, From, FirstSession, TemplateSet.Default).First();

        var mime = EmailMime.Of(email, From);

        var mixed = Assert.IsType<Multipart>(mime.Body);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.Take(2).Select(p => p.ContentType.MimeType));
        var calendar = Assert.IsType<TextPart>(alternative[2]);
        Assert.Equal(("text/calendar", "REQUEST"), (calendar.ContentType.MimeType, calendar.ContentType.Parameters["method"]));
        Assert.Equal(Read(email.Invite).Events.Single().Uid, Calendar.Load(calendar.Text)!.Events.Single().Uid);
        Assert.Equal(EmailMime.InviteFileName, Assert.Single(mime.Attachments).ContentDisposition!.FileName);
        Assert.Equal(2, Assert.IsType<MultipartAlternative>(EmailMime.Of(email with { Invite = null }, From).Body).Count);
    }
}

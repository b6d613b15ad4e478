namespace Torace.Notifications.Templates;

public sealed record PersonModel(string Name, string Email, string Site);

/// <summary>A session as an email lists it: "Session 2" or "Round 3 of 5", its modality and its start in the reader's time zone (none when not set).</summary>
public sealed record SessionModel(int Number, string Label, string Modality, string? StartsAt);

/// <summary>A one-click link drawn as a button: where it goes and what it says.</summary>
public sealed record ActionModel(string Url, string Text);

public sealed record MatchDetails(
    string Role, string ProgramName, string? Topic, PersonModel Mentor, IReadOnlyList<PersonModel> Mentees, IReadOnlyList<PersonModel> GroupMembers,
    string Message, string? GuideUrl, IReadOnlyList<SessionModel> Sessions, string? DeclineUrl);

public sealed record ReminderDetails(
    string Kind, string What, bool Nudge, int? SessionNumber, string DueAt, string ProgramName, string? Prompt, IReadOnlyList<ActionModel> Actions, string? StopUrl);

public sealed record DateProposedDetails(string ProgramName, int SessionNumber, string ProposerName, string StartsAt, string Modality, string? Reason, string? ConfirmUrl);

public sealed record FeedbackAskedDetails(string ProgramName, string MenteeName, string What, string? FeedbackUrl);

public sealed record SessionCompletedDetails(string ProgramName, int SessionNumber);

public sealed record ProgramCancelledDetails(string ProgramName, string Reason);

public sealed record SessionDateDetails(string ProgramName, int SessionNumber, string StartsAt, string? PreviousStartsAt, int Minutes, string Where, string? Reason);

public sealed record SessionCancelledDetails(string ProgramName, int SessionNumber, string StartsAt, string? Reason);

public sealed record DigestDetails(string ProgramName, string Date, IReadOnlyList<DigestSectionModel> Sections);

/// <summary>A digest's section: its title, how many things it has, and the lines it lists (the first ones, then a count of the rest).</summary>
public sealed record DigestSectionModel(string Title, int Count, IReadOnlyList<string> Lines);

/// <summary>
/// Every kind of email Torace sends, each with Torace's own wording as a Liquid template a district (or one of its
/// programs) can replace, the values its template can print, and sample details a preview renders it with.
/// </summary>
public static class EmailKinds
{
    public const string Match = "match";
    public const string Reminder = "reminder";
    public const string DateProposed = "date-proposed";
    public const string FeedbackAsked = "feedback-asked";
    public const string SessionCompleted = "session-completed";
    public const string ProgramCancelled = "program-cancelled";
    public const string SessionScheduled = "session-scheduled";
    public const string SessionRescheduled = "session-rescheduled";
    public const string EngagementEnded = "engagement-ended";
    public const string Digest = "digest";

    const string Hello = "<p>Hello{% if recipient.name != blank %} {{ recipient.name }}{% endif %},</p>\n";
    const string SignOff = "<p>— {{ district.name }}</p>\n";
    const string ReasonLine = "{% if reason != blank %}<p>Reason: {{ reason }}</p>{% endif %}\n";

    /// <summary>A link drawn as a button in the district's colour (Liquid).</summary>
    static string Button(string url, string text) =>
        $"<p><a href=\"{{{{ {url} }}}}\" style=\"display:inline-block;padding:10px 16px;background:{{{{ district.colour }}}};color:#ffffff;"
        + $"border-radius:6px;text-decoration:none;font-weight:600\">{text}</a></p>";

    /// <summary>A link in small print: there when needed, not the email's point (Liquid).</summary>
    static string Small(string url, string text) => $"<p style=\"font-size:13px\"><a href=\"{{{{ {url} }}}}\">{text}</a></p>";

    static readonly TemplateVariable[] Everyone =
    [
        new("recipient.name", "The reader's name (empty for a coordinator's digest)."),
        new("recipient.email", "The reader's address."),
        new("district.name", "The district's name as its emails show it."),
        new("district.colour", "The district's colour, #rrggbb, dark enough for white text on it."),
        new("district.logoUrl", "The district's logo (https), or empty."),
        new("programName", "The program's name."),
    ];

    static readonly PersonModel SampleMentor = new("Maria Lopez", "maria.lopez@district.example.org", "Lincoln Elementary");
    static readonly PersonModel SampleMentee = new("Sam Carter", "sam.carter@district.example.org", "Roosevelt Middle");
    static readonly PersonModel SampleGroupMember = new("Ana Silva", "ana.silva@district.example.org", "Hoover High");
    const string SampleProgram = "SEL in the first weeks";
    const string SampleLink = "https://participate.example.org/act?token=sample";
    const string SampleDate = "Tuesday 6 October 2026, 15:30 (America/Chicago)";

    public static readonly IReadOnlyList<EmailKind> All =
    [
        new(Match, "To the mentor and to each mentee when a match is published: who they are matched with, the coordinator's message, the session guide and the sessions.",
            [
                new("role", "mentor or mentee: who the reader is in the match."),
                new("topic", "The program's topic as its coordinator named it, dashes as spaces (lesson planning), or empty."),
                new("mentor", "The mentor: name, email, site."), new("mentees", "Every mentee: name, email, site."),
                new("groupMembers", "For a mentee in a group, the other mentees."),
                new("message", "The coordinator's message for the program (always escaped)."), new("guideUrl", "The session guide's link, or empty."),
                new("sessions", "Each session: number, label (Session 2, Round 3 of 5), modality, startsAt (empty when not set)."),
                new("declineUrl", "The reader's one-click link to decline the match."),
            ],
            new("{% if role == \"mentor\" %}You are matched as a mentor: {{ programName }}{% else %}You have a mentor: {{ programName }}{% endif %}",
                Hello
                + "{% if role == \"mentor\" %}<p>You will mentor {% for m in mentees %}{{ m.name }}, {{ m.site }} ({{ m.email }}){% unless forloop.last %}; {% endunless %}{% endfor %} in {{ programName }}.</p>\n"
                + "{% else %}<p>Your mentor in {{ programName }} is {{ mentor.name }}, {{ mentor.site }} ({{ mentor.email }}).{% if groupMembers.size > 0 %} Also in your group: {% for m in groupMembers %}{{ m.name }}, {{ m.site }} ({{ m.email }}){% unless forloop.last %}; {% endunless %}{% endfor %}.{% endif %}</p>\n{% endif %}"
                + "{% if topic != blank %}<p>Topic: {{ topic }}</p>{% endif %}\n"
                + "{% if message != blank %}<p>{{ message }}</p>{% endif %}\n"
                + "{% if guideUrl != blank %}<p>Session guide: <a href=\"{{ guideUrl }}\">{{ guideUrl }}</a></p>{% endif %}\n"
                + "<ul>{% for s in sessions %}<li>{{ s.label }} ({{ s.modality }}){% if s.startsAt != blank %}: {{ s.startsAt }}{% endif %}</li>{% endfor %}</ul>\n"
                + "{% if declineUrl != blank %}" + Small("declineUrl", "Cannot take part? Decline this match") + "{% endif %}\n"
                + SignOff),
            new MatchDetails("mentee", SampleProgram, "sel", SampleMentor, [SampleMentee, SampleGroupMember], [SampleGroupMember],
                "Bring one lesson plan you would like to talk through.", "https://district.example.org/guides/two-session",
                [new(1, "Session 1", "virtual", SampleDate), new(2, "Session 2", "in-person", null)], SampleLink)),

        new(Reminder, "A reflection, touchpoint report or session falls due, and the nudge when it is overdue, with a one-click link to do it.",
            [
                new("kind", "pre-reflection, post-reflection, session-reminder, or the touchpoint's own kind."),
                new("what", "The kind in words (pre reflection)."), new("nudge", "true when it is overdue."),
                new("sessionNumber", "The session a session reminder is for."), new("dueAt", "When it is due, in the reader's time zone."),
                new("prompt", "The program's prompt for it, or empty."),
                new("actions", "The one-click links: url and text (write it; mark the session done; propose another date)."),
                new("stopUrl", "The reader's link to stop reminders."),
            ],
            new("{% if nudge %}Overdue: {% endif %}{% case kind %}{% when \"pre-reflection\" %}Before your first session: a short reflection ({{ programName }})"
                + "{% when \"post-reflection\" %}After your sessions: a short reflection ({{ programName }}){% when \"session-reminder\" %}Reminder: session {{ sessionNumber }} of {{ programName }}"
                + "{% else %}Between sessions: {{ what }} ({{ programName }}){% endcase %}",
                Hello
                + "<p>{% if kind == \"session-reminder\" %}Session {{ sessionNumber }} is coming up; this reminder was due {{ dueAt }}.{% elsif nudge %}Your {{ what }} was due {{ dueAt }} and is still open: a few lines are enough."
                + "{% else %}Your {{ what }} is due {{ dueAt }}.{% endif %}</p>\n"
                + "{% if prompt != blank %}<p>{{ prompt }}</p>{% endif %}\n"
                + "{% for a in actions %}" + Button("a.url", "{{ a.text }}") + "{% endfor %}\n"
                + "<p>Program: {{ programName }}</p>\n"
                + "{% if stopUrl != blank %}" + Small("stopUrl", "Stop these reminders") + "{% endif %}\n"
                + SignOff),
            new ReminderDetails("pre-reflection", "pre reflection", false, null, SampleDate, SampleProgram, "What do you hope to get out of these sessions?",
                [new(SampleLink, "Write your pre reflection")], SampleLink)),

        new(DateProposed, "A participant proposed a session's date: everyone else is asked to confirm it or propose another.",
            [
                new("sessionNumber", "The session."), new("proposerName", "Who proposed it."), new("startsAt", "The date, in the reader's time zone."),
                new("modality", "virtual, in-person or either."), new("reason", "The proposer's note, or empty."), new("confirmUrl", "The reader's link to confirm or counter."),
            ],
            new("A date for session {{ sessionNumber }} of {{ programName }}: please confirm",
                Hello
                + "<p>{{ proposerName }} proposes {{ startsAt }} ({{ modality }}) for session {{ sessionNumber }} of {{ programName }}.</p>\n"
                + "{% if reason != blank %}<p>Their note: {{ reason }}</p>{% endif %}\n"
                + "{% if confirmUrl != blank %}" + Button("confirmUrl", "Confirm the date or propose another") + "{% endif %}\n"
                + SignOff),
            new DateProposedDetails(SampleProgram, 1, SampleMentor.Name, SampleDate, "virtual", "After the staff meeting.", SampleLink)),

        new(FeedbackAsked, "A mentee sent a reflection or report: each mentor is asked for feedback.",
            [new("menteeName", "The mentee."), new("what", "What they sent, in words (action steps)."), new("feedbackUrl", "The mentor's link to read it and give feedback.")],
            new("{{ menteeName }} sent their {{ what }}: {{ programName }}",
                Hello
                + "<p>{{ menteeName }} sent their {{ what }} for {{ programName }}. A few lines of feedback from you help them take the next step.</p>\n"
                + "{% if feedbackUrl != blank %}" + Button("feedbackUrl", "Read it and give feedback") + "{% endif %}\n"
                + SignOff),
            new FeedbackAskedDetails(SampleProgram, SampleMentee.Name, "action steps", SampleLink)),

        new(SessionCompleted, "A session was marked done: everyone in it is thanked.",
            [new("sessionNumber", "The session.")],
            new("Session {{ sessionNumber }} of {{ programName }} is done",
                Hello + "<p>Thank you: session {{ sessionNumber }} of {{ programName }} is marked complete.</p>\n" + SignOff),
            new SessionCompletedDetails(SampleProgram, 1)),

        new(ProgramCancelled, "The coordinator cancelled the program: everyone told of a match in it hears it will not go ahead.",
            [new("reason", "The coordinator's reason.")],
            new("Cancelled: {{ programName }}",
                Hello
                + "<p>{{ programName }} has been cancelled by its coordinator, so its sessions and reminders will not go ahead.</p>\n"
                + ReasonLine + SignOff),
            new ProgramCancelledDetails(SampleProgram, "Too few mentors signed up this term.")),

        new(SessionScheduled, "A session's date was set: everyone in it gets the calendar invite.",
            [new("sessionNumber", "The session."), new("startsAt", "Its start, in the reader's time zone."), new("minutes", "How long it lasts."), new("where", "Where it happens, in words.")],
            new("Session {{ sessionNumber }} of {{ programName }}: {{ startsAt }}",
                Hello
                + "<p>Session {{ sessionNumber }} of {{ programName }} is on {{ startsAt }}, {{ minutes }} minutes ({{ where }}).</p>\n"
                + "<p>Add it to your calendar with the invite attached.</p>\n" + SignOff),
            new SessionDateDetails(SampleProgram, 1, SampleDate, null, 45, "online", null)),

        new(SessionRescheduled, "A session moved: everyone in it gets the updated invite.",
            [
                new("sessionNumber", "The session."), new("previousStartsAt", "Its old start, in the reader's time zone."), new("startsAt", "Its new start."),
                new("minutes", "How long it lasts."), new("where", "Where it happens, in words."), new("reason", "Why it moved, or empty."),
            ],
            new("Moved: session {{ sessionNumber }} of {{ programName }}",
                Hello
                + "<p>Session {{ sessionNumber }} of {{ programName }} has moved from {{ previousStartsAt }} to {{ startsAt }} ({{ where }}).</p>\n"
                + ReasonLine + "<p>The invite attached updates the event already in your calendar.</p>\n" + SignOff),
            new SessionDateDetails(SampleProgram, 1, SampleDate, "Monday 5 October 2026, 15:30 (America/Chicago)", 45, "online", "Parent conferences.")),

        new(EngagementEnded, "An engagement ended early: each session still ahead is cancelled in everyone's calendar.",
            [new("sessionNumber", "The session."), new("startsAt", "Its start, in the reader's time zone."), new("reason", "Why it ended, or empty.")],
            new("Cancelled: session {{ sessionNumber }} of {{ programName }}",
                Hello
                + "<p>Your mentoring engagement in {{ programName }} has ended, so session {{ sessionNumber }} ({{ startsAt }}) will not take place.</p>\n"
                + ReasonLine + "<p>The invite attached removes it from your calendar.</p>\n" + SignOff),
            new SessionCancelledDetails(SampleProgram, 2, SampleDate, "Declined: schedule conflict.")),

        new(Digest, "Once a day per program, to the district's digest recipients: new matches, overdue and missed touchpoints, stalled engagements and emails that failed.",
            [new("date", "The day it is for."), new("sections", "What happened, by section: title, count and lines (only sections with news; at most 200 lines, then how many more).")],
            new("Daily digest: {{ programName }}, {{ date }}",
                Hello
                + "<p>What happened in {{ programName }} since the last digest, as of {{ date }}.</p>\n"
                + "{% for section in sections %}<h2>{{ section.title }} ({{ section.count }})</h2><ul>{% for line in section.lines %}<li>{{ line }}</li>{% endfor %}</ul>\n{% endfor %}"
                + SignOff),
            new DigestDetails(SampleProgram, "Monday 7 December 2026",
                [new("New matches", 1, [$"{SampleMentor.Name} ({SampleMentor.Site}) with {SampleMentee.Name} ({SampleMentee.Site}) (Mon 7 Dec, 07:00)"])])),
    ];

    static readonly Dictionary<string, EmailKind> ByName = All.ToDictionary(k => k.Name);

    public static EmailKind? Find(string name) => ByName.GetValueOrDefault(name);

    public static EmailKind Of(string name) => ByName[name];

    /// <summary>The values every template can print, then the kind's own.</summary>
    public static IEnumerable<TemplateVariable> VariablesOf(EmailKind kind) => Everyone.Concat(kind.Variables);

    public static readonly RecipientModel SampleRecipient = new(SampleMentee.Name, SampleMentee.Email);
}

using Torace.Admin.Gateway;

namespace Torace.Admin.Programs;

/// <summary>
/// What the coordinator fills in on the new-program and edit-draft pages, and the public API's create (or replace)
/// request it becomes. Checks what the page can tell before sending (the API checks again and names any field it refuses).
/// </summary>
public sealed class NewProgramForm
{
    public string TemplateId { get; private set; } = "";
    public string Name { get; set; } = "";
    public string Topic { get; set; } = "";
    public DateTime? FirstSession { get; set; }
    /// <summary>"HH:mm", as a time input gives it.</summary>
    public string StartTime { get; set; } = "15:30";
    public int Sessions { get; set; }
    public int DaysBetweenSessions { get; set; }
    public string Modality { get; set; } = "virtual";
    public int GroupSize { get; set; }
    public bool PreReflection { get; set; }
    public bool PostReflection { get; set; }
    public string PoolSites { get; set; } = "any";
    public string Review { get; set; } = "manual";
    public string Message { get; set; } = "";
    public string GuideUrl { get; set; } = "";
    /// <summary>What the guide link is called for this format ("two-session guide").</summary>
    public string GuideLabel { get; private set; } = "conversation guide";
    string kind = "";
    string touchpointKind = "";
    int rounds = 1;

    // A draft's definition as read: what the form does not show (pool roles and exclusions, weights, session length,
    // when touchpoints fall due) goes back as it was, since the edit replaces the whole definition.
    ProgramItem? draft;
    // What the last template filled in, to tell it from what the coordinator wrote.
    string templateMessage = "";
    string templateGuideUrl = "";

    public static NewProgramForm From(ProgramTemplateItem template) => new NewProgramForm().Apply(template);

    /// <summary>A draft as its edit form: its definition read back in the district's time zone.</summary>
    public static NewProgramForm From(ProgramItem program, TimeZoneInfo zone)
    {
        var starts = program.Sessions.OrderBy(s => s.Number).Select(s => s.StartsAt is { } at ? TimeZoneInfo.ConvertTime(at, zone) : (DateTimeOffset?)null).ToList();
        return new NewProgramForm
        {
            Name = program.Name,
            Topic = program.Topic,
            FirstSession = starts.FirstOrDefault()?.Date,
            StartTime = starts.FirstOrDefault() is { } first ? first.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "15:30",
            Sessions = program.Sessions.Count,
            DaysBetweenSessions = starts is [{ } one, { } two, ..] ? (int)Math.Round((two.Date - one.Date).TotalDays) : 14,
            Modality = program.Sessions.FirstOrDefault()?.Modality ?? "virtual",
            GroupSize = program.GroupSize,
            PreReflection = program.PreReflection,
            PostReflection = program.PostReflection,
            PoolSites = program.Pool.Sites,
            Review = program.Matching.Review,
            Message = program.Message.Text,
            GuideUrl = program.Message.GuideUrl ?? "",
            GuideLabel = GuideLabelOf(program.Format),
            kind = program.Kind,
            touchpointKind = program.Touchpoints.FirstOrDefault()?.Kind ?? "action-steps",
            rounds = program.Matching.Rounds,
            draft = program,
        };
    }

    static string GuideLabelOf(string format) => format switch
    {
        "one-session" or "two-session" or "three-session" => $"{format} guide",
        _ => "conversation guide",
    };

    /// <summary>
    /// Takes the template's format, and its message and guide link where the coordinator has not written their own;
    /// keeps what the coordinator already wrote (name, topic, date, message, link).
    /// </summary>
    public NewProgramForm Apply(ProgramTemplateItem template)
    {
        if (Message.Trim().Length == 0 || Message == templateMessage)
        {
            Message = template.MessageText;
        }
        if (GuideUrl.Trim().Length == 0 || GuideUrl == templateGuideUrl)
        {
            GuideUrl = template.GuideUrl ?? "";
        }
        templateMessage = template.MessageText;
        templateGuideUrl = template.GuideUrl ?? "";
        TemplateId = template.Id;
        GuideLabel = template.GuideLabel;
        kind = template.Kind;
        Sessions = template.Sessions;
        DaysBetweenSessions = template.DaysBetweenSessions;
        GroupSize = template.GroupSize;
        PreReflection = template.PreReflection;
        PostReflection = template.PostReflection;
        PoolSites = template.PoolSites;
        touchpointKind = template.TouchpointKind;
        rounds = template.Rounds;
        return this;
    }

    /// <summary>The first session's start in UTC, read in the coordinator's time zone.</summary>
    public DateTimeOffset? FirstSessionStartsAt(TimeZoneInfo zone)
    {
        if (FirstSession is not { } day)
        {
            return null;
        }
        var local = day.Date + (Time() ?? TimeSpan.Zero);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The sessions as the match email lists them (its <c>sessions</c>), for the preview: number, label, modality and start.</summary>
    public IReadOnlyList<object> SessionsForPreview(TimeZoneInfo zone) =>
    [
        .. Enumerable.Range(0, Math.Max(1, Sessions)).Select(i => new
        {
            number = i + 1,
            label = $"Session {i + 1}",
            modality = Modality,
            startsAt = SessionStartsAt(i, zone) is { } at
                ? at.ToString("dddd d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + $" ({zone.Id})"
                : null,
        }),
    ];

    /// <summary>A session's start: the same local time of day on its own date, so a change of daylight saving time does not move it.</summary>
    DateTimeOffset? SessionStartsAt(int index, TimeZoneInfo zone)
    {
        if (FirstSession is not { } day)
        {
            return null;
        }
        var local = day.Date.AddDays(index * DaysBetweenSessions) + (Time() ?? TimeSpan.Zero);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    TimeSpan? Time() =>
        TimeSpan.TryParseExact(StartTime, ["hh\\:mm", "hh\\:mm\\:ss"], System.Globalization.CultureInfo.InvariantCulture, out var time) && time < TimeSpan.FromDays(1)
            ? time
            : null;

    /// <summary>Each problem the page can see, by field; empty when the form can be sent.</summary>
    public IReadOnlyDictionary<string, string> Problems(DateTimeOffset now, TimeZoneInfo zone)
    {
        var problems = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name)) problems["name"] = "Give the program a name people will recognise in their email.";
        else if (Name.Length > 200) problems["name"] = "Keep the name under 200 characters.";
        if (string.IsNullOrWhiteSpace(Topic)) problems["topic"] = "Say what the conversations are about, for example SEL or lesson planning.";
        if (Sessions is < 1 or > 12) problems["sessions"] = "A program has from 1 to 12 sessions.";
        if (Sessions > 1 && DaysBetweenSessions is < 1 or > 90) problems["daysBetweenSessions"] = "Sessions are 1 to 90 days apart.";
        if (GroupSize is < 1 or > 20) problems["groupSize"] = "A mentor meets 1 to 20 mentees at a time.";
        if (FirstSession is not null && Time() is null) problems["startTime"] = "Give the start time as hours and minutes, for example 15:30.";
        if (FirstSessionStartsAt(zone) is { } starts && starts < now) problems["firstSession"] = "The first session cannot be in the past.";
        if (string.IsNullOrWhiteSpace(Message)) problems["message"] = "Write the welcome message every match email starts with.";
        else if (Message.Length > 4000) problems["message"] = "Keep the message under 4,000 characters.";
        if (GuideUrl.Length > 0 && !(Uri.TryCreate(GuideUrl, UriKind.Absolute, out var guide) && guide.Scheme is "https" or "http"))
        {
            problems["guideUrl"] = "The guide link must be a full web address (https://…).";
        }
        return problems;
    }

    /// <summary>The API's field errors (<c>message.text</c>, <c>sessions[0].modality</c>) by the form field that shows them.</summary>
    public static IReadOnlyDictionary<string, string> FieldsOf(IReadOnlyDictionary<string, string[]> errors)
    {
        var fields = new Dictionary<string, string>();
        foreach (var (key, messages) in errors)
        {
            var field = key switch
            {
                "message.text" => "message",
                "message.guideUrl" => "guideUrl",
                _ when key.StartsWith("sessions", StringComparison.Ordinal) => "sessions",
                _ when key.StartsWith("touchpoints", StringComparison.Ordinal) => "daysBetweenSessions",
                _ => key,
            };
            fields[field] = fields.TryGetValue(field, out var earlier) ? $"{earlier} {string.Join(" ", messages)}" : string.Join(" ", messages);
        }
        return fields;
    }

    /// <summary>The public API's create-program (or replace-draft) request for this form.</summary>
    public object ToRequest(TimeZoneInfo zone)
    {
        return new
        {
            name = Name.Trim(),
            kind,
            topic = Topic.Trim(),
            sessions = Enumerable.Range(0, Sessions).Select(i => new { modality = Modality, startsAt = SessionStartsAt(i, zone) }).ToList(),
            groupSize = GroupSize,
            preReflection = PreReflection,
            postReflection = PostReflection,
            touchpoints = Enumerable.Range(1, Math.Max(0, Sessions - 1)).Select(after => new
            {
                afterSession = after,
                kind = touchpointKind,
                dueAfterDays = draft?.Touchpoints.FirstOrDefault(t => t.AfterSession == after)?.DueAfterDays ?? 3,
            }).ToList(),
            pool = new
            {
                sites = PoolSites,
                mentorRoles = draft?.Pool.MentorRoles,
                menteeRoles = draft?.Pool.MenteeRoles,
                includedSites = draft?.Pool.IncludedSites,
                exclusions = draft?.Pool.Exclusions?.Select(x => new { mentor = x.Mentor, mentee = x.Mentee }).ToList(),
                noRepeatPairing = draft?.Pool.NoRepeatPairing,
                maxConcurrentMentees = draft?.Pool.MaxConcurrentMentees,
            },
            matching = new { review = Review, rounds, mode = draft?.Matching.Mode, weights = draft?.Matching.Weights },
            sessionMinutes = draft?.SessionMinutes,
            message = new { text = Message.Trim(), guideUrl = GuideUrl.Length == 0 ? null : GuideUrl },
        };
    }
}

using System.Net;
using Torace.Participate.Gateway;

namespace Torace.Participate.Components;

public enum OutcomeKind
{
    /// <summary>The action was taken.</summary>
    Done,

    /// <summary>It was taken before (a used link): nothing changed.</summary>
    Already,

    /// <summary>The link was changed, has expired, or does not allow this: nothing changed.</summary>
    Refused,

    /// <summary>Torace could not answer just now: nothing changed, try again.</summary>
    Unavailable,
}

/// <summary>What a page shows instead of its form, and the HTTP status it answers with.</summary>
public sealed record Outcome(OutcomeKind Kind, string Title, string Text)
{
    public int Status => Kind switch
    {
        OutcomeKind.Refused => StatusCodes.Status403Forbidden,
        OutcomeKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status200OK,
    };

    const string NothingChanged = "Nothing was changed.";

    public static Outcome Done(string title, string text) => new(OutcomeKind.Done, title, text);

    public static Outcome Already(string title, string text) => new(OutcomeKind.Already, title, text + " " + NothingChanged);

    public static Outcome Refused(string text) => new(OutcomeKind.Refused, "This link does not work",
        $"{text} {NothingChanged} Ask your program coordinator for a new link if you still need one.");

    /// <summary>The gateway's refusal in the participant's words (a 400 is shown on the form instead).</summary>
    public static Outcome From(GatewayRefusal refusal) => refusal.Status switch
    {
        HttpStatusCode.Unauthorized => Refused(refusal.Message is { Length: > 0 } why ? why : "The link is not valid."),
        HttpStatusCode.Forbidden => Refused(refusal.Message is { Length: > 0 } why ? why : "The link does not allow this."),
        HttpStatusCode.NotFound => Refused("What this link was for no longer exists: the program or match may have been cancelled."),
        HttpStatusCode.Conflict => Already("Already done", refusal.Message),
        HttpStatusCode.TooManyRequests => new(OutcomeKind.Unavailable, "Please wait a minute",
            $"Your district's connection to Torace is very busy. {NothingChanged} Open the link again in a minute."),
        _ => new(OutcomeKind.Unavailable, "Torace could not answer just now",
            $"{NothingChanged} Please open the link again in a few minutes."),
    };
}

namespace Torace.Platform.Api;

/// <summary>
/// A decide function's "no": the command does not fit the current state. Endpoints answer 409, 404 for
/// <see cref="RejectionKind.NotFound"/> or 403 for <see cref="RejectionKind.Forbidden"/> (the caller may not act on
/// this, e.g. a participant naming another enrolment), with the message as the ProblemDetails title.
/// </summary>
public sealed class Rejected(RejectionKind kind, string message) : Exception(message)
{
    public RejectionKind Kind { get; } = kind;

    public static Rejected Conflict(string message) => new(RejectionKind.Conflict, message);

    public static Rejected NotFound(string message) => new(RejectionKind.NotFound, message);

    public static Rejected Forbidden(string message) => new(RejectionKind.Forbidden, message);
}

public enum RejectionKind
{
    Conflict,
    NotFound,
    Forbidden,
}

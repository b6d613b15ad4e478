namespace Torace.Platform.Api;

/// <summary>
/// A decide function's "no": the command does not fit the current state. Endpoints answer 409, or 404 for
/// <see cref="RejectionKind.NotFound"/>, 412 for <see cref="RejectionKind.PreconditionFailed"/> or 403 for
/// <see cref="RejectionKind.Forbidden"/>, with the message as the ProblemDetails title; 400 naming the field for
/// <see cref="RejectionKind.Invalid"/> (a value that is well formed but does not fit the state, such as a move without a reason).
/// </summary>
public sealed class Rejected(RejectionKind kind, string message, string? field = null) : Exception(message)
{
    public RejectionKind Kind { get; } = kind;

    /// <summary>The request field an <see cref="RejectionKind.Invalid"/> rejection names.</summary>
    public string? Field { get; } = field;

    public static Rejected Invalid(string field, string message) => new(RejectionKind.Invalid, message, field);

    public static Rejected Conflict(string message) => new(RejectionKind.Conflict, message);

    public static Rejected NotFound(string message) => new(RejectionKind.NotFound, message);

    /// <summary>The caller may not act on this (a participant naming another enrolment): 403.</summary>
    public static Rejected Forbidden(string message) => new(RejectionKind.Forbidden, message);

    /// <summary>The caller's If-Match names a version the resource has moved on from.</summary>
    public static Rejected PreconditionFailed(long? current) => new(RejectionKind.PreconditionFailed,
        current is { } version
            ? $"The resource has changed since you read it; it is now at version {version}. Read it again and retry."
            : "The resource changed while your request was processed. Read it again and retry.");
}

public enum RejectionKind
{
    Conflict,
    NotFound,
    PreconditionFailed,
    Forbidden,
    Invalid,
}

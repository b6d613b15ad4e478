using Torace.Platform.Api;

namespace Torace.Platform.Tenancy;

/// <summary>
/// Who is calling, as the gateway signed it: the district, the kind of caller, its scopes and, for a participant,
/// the one enrolment and action its link allows. Endpoints read it with <c>user.Caller()</c>; none trusts an identity
/// sent in the body.
/// </summary>
public sealed record Caller(
    string TenantId,
    string Actor,
    IReadOnlySet<string> Scopes,
    string? Subject,
    string? Role = null,
    Guid? EnrolmentId = null,
    string? Action = null)
{
    /// <summary>When a participant's link stops allowing its action (null for every other caller).</summary>
    public DateTimeOffset? ActionExpiresAt { get; init; }

    public bool IsParticipant => Actor == Actors.Participant;

    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>
    /// The enrolment this call acts for: a participant always acts for the enrolment in its token (naming another
    /// one throws <see cref="Rejected.Forbidden"/>); any other caller must name one (null → null, so the endpoint can
    /// answer 400 naming its field).
    /// </summary>
    public Guid? ActingFor(Guid? named)
    {
        if (!IsParticipant)
        {
            return named;
        }
        var own = EnrolmentId ?? throw Rejected.Forbidden("This participant link names no enrolment.");
        if (named is { } other && other != own)
        {
            throw Rejected.Forbidden("A participant link acts only for its own enrolment.");
        }
        return own;
    }

    /// <summary>Throws <see cref="Rejected.Forbidden"/> unless the caller is not a participant or is the participant of one of these enrolments.</summary>
    public void RequireParticipantIn(IEnumerable<Guid> enrolmentIds)
    {
        if (IsParticipant && (EnrolmentId is not { } own || !enrolmentIds.Contains(own)))
        {
            throw Rejected.Forbidden("A participant link allows acting only on what its own enrolment takes part in.");
        }
    }
}

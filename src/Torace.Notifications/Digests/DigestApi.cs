using System.Net.Mail;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Notifications.Email;
using Torace.Notifications.Templates;
using Torace.Platform.Api;

namespace Torace.Notifications.Digests;

/// <summary>
/// Who gets the district's daily digest (up to 20 addresses; none turns it off) and at which hour (0–23) in which time
/// zone (IANA). <c>coveredUntil</c> says where the last digest stopped.
/// </summary>
public sealed record DigestSettingsRequest(IReadOnlyList<string>? Recipients, int? Hour, string? TimeZone);

public sealed record DigestSettingsResponse(IReadOnlyList<string> Recipients, int Hour, string TimeZone, DateTimeOffset? CoveredUntil)
{
    public static DigestSettingsResponse From(DigestSettings s) => new(s.Recipients, s.Hour, s.TimeZone, s.CoveredUntil);
}

/// <summary>One thing the next digest tells, and the people it names.</summary>
public sealed record DigestItemResponse(
    [property: System.ComponentModel.DataAnnotations.AllowedValues(DigestKinds.NewMatch, DigestKinds.Overdue, DigestKinds.Missed, DigestKinds.Stalled)] string Kind,
    string Text,
    DateTimeOffset At,
    IReadOnlyList<DigestPersonResponse> People);

public sealed record DigestPersonResponse(Guid EnrolmentId, string Name, string Email);

/// <summary>What the program's next digest will say (from where the last one stopped until now): its items, the emails that failed, and the email itself.</summary>
public sealed record DigestPreviewResponse(IReadOnlyList<DigestItemResponse> Items, int FailedEmails, string? Subject, string? Html);

public static class DigestApi
{
    const int MaxRecipients = 20;

    /// <summary>Until a district sets it: nobody, at 7 a.m. UTC.</summary>
    static readonly DigestSettingsResponse Default = new([], 7, "UTC", null);

    public static RouteGroupBuilder MapDigestApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings/digest").WithTags("Settings");
        settings.MapGet("/", Get).WithName("GetDigestSettings")
            .WithSummary("Who gets the daily digest (one email a day per program with new matches, overdue and missed touchpoints, stalled engagements and failed emails) and when.");
        settings.MapPut("/", Set).WithName("SetDigestSettings")
            .WithSummary("Set who gets the daily digest (up to 20 addresses; an empty list turns it off) and the hour (0–23) in the district's time zone.")
            .WithExample(new DigestSettingsRequest(["coordinator@district.example.org"], 7, "America/Chicago"));
        api.MapGet("/programs/{programId:guid}/notifications/digest", Preview).WithTags("Settings").WithName("PreviewDigest")
            .WithSummary("What the program's next daily digest will say: the news since the last digest, and the email as it would go out now (null when there is no news).");
        return api;
    }

    static async Task<Ok<DigestPreviewResponse>> Preview(Guid programId, IQuerySession session, TemplateSets templates, TimeProvider clock, CancellationToken ct)
    {
        var settings = await session.LoadAsync<DigestSettings>(DigestSettings.DocumentId, ct);
        var now = clock.GetUtcNow();
        var since = settings?.CoveredUntil ?? now.AddDays(-1);
        var (items, failed) = await DigestJob.News(session, since, now, programId, ct);
        var zone = settings?.TimeZone ?? Default.TimeZone;
        var email = Digest.Compose(programId, items, failed, ["preview"], DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, EmailComposer.Zone(zone)).DateTime), zone,
            await templates.For(session.TenantId!, programId, ct))
            .FirstOrDefault();
        return TypedResults.Ok(new DigestPreviewResponse([.. items.Select(i => new DigestItemResponse(i.Kind, i.Text, i.At,
            [.. (i.People ?? []).Select(p => new DigestPersonResponse(p.EnrolmentId, p.Name, p.Email))]))], failed.Count, email?.Subject, email?.Html));
    }

    static async Task<Ok<DigestSettingsResponse>> Get(IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.LoadAsync<DigestSettings>(DigestSettings.DocumentId, ct) is { } s ? DigestSettingsResponse.From(s) : Default);

    static async Task<Results<Ok<DigestSettingsResponse>, ValidationProblem>> Set(DigestSettingsRequest request, IDocumentSession session, CancellationToken ct)
    {
        var recipients = request.Recipients ?? [];
        var validation = new Validation()
            .Require(request.Recipients is not null, "recipients", "'recipients' lists the addresses that get the digest (an empty list turns it off).")
            .Require(recipients.Count <= MaxRecipients, "recipients", $"'recipients' may list at most {MaxRecipients} addresses.")
            .Require(recipients.All(IsAddress), "recipients", "Every recipient must be an email address of at most 254 characters.")
            .Require(request.Hour is >= 0 and <= 23, "hour", "'hour' is the hour of the day (0–23) the digest goes out.")
            .Require(request.TimeZone is { } zone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), "timeZone",
                "'timeZone' must be an IANA time zone, for example America/Chicago.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var known = await session.LoadAsync<DigestSettings>(DigestSettings.DocumentId, ct);
        var settings = new DigestSettings(DigestSettings.DocumentId, session.TenantId,
            [.. recipients.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)], request.Hour!.Value, request.TimeZone!, known?.CoveredUntil);
        session.Store(settings);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(DigestSettingsResponse.From(settings));
    }

    static bool IsAddress(string? address) =>
        address is { Length: > 0 and <= 254 } && MailAddress.TryCreate(address.Trim(), out var parsed) && parsed.Address == address.Trim();
}

using Torace.Contracts;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Links;

/// <summary>The one-click link an email gives <c>to</c> for one action on one thing (a <see cref="LinkTargets"/> path); null when there are no participant pages.</summary>
public delegate string? LinkFor(Participant to, string action, string target);

/// <summary>
/// Signs the participant links emails carry (DESIGN §13) with the participant-link key, for the participant pages at
/// <c>ParticipantLinks:PagesUrl</c>. Without both settings emails carry no links (a service started on its own in a
/// test); the AppHost always gives both.
/// </summary>
public sealed class ActionLinks(ParticipantLinkSigner? signer, string? pages, TimeProvider clock)
{
    /// <summary>A decline link lasts two weeks: a match not declined by then has started.</summary>
    public static readonly TimeSpan DeclineLifetime = TimeSpan.FromDays(14);

    public static readonly TimeSpan Lifetime = ParticipantLinkSigner.MaxLifetime;

    /// <summary>No links: what a test composing emails without participant pages uses.</summary>
    public static readonly LinkFor None = (_, _, _) => null;

    public LinkFor For(string tenantId) => signer is null || string.IsNullOrEmpty(pages)
        ? None
        : (to, action, target) => ParticipantLinkSigner.Url(pages, action, signer.Issue(tenantId, to.EnrolmentId, action,
            action == ParticipantActions.DeclineMatch ? DeclineLifetime : Lifetime, clock.GetUtcNow(), target).Token);
}

public static class ActionLinksSetup
{
    public static IHostApplicationBuilder AddActionLinks(this IHostApplicationBuilder builder)
    {
        // Read now: a short or malformed key stops start-up instead of the first email.
        var signer = string.IsNullOrEmpty(builder.Configuration[ParticipantLinkSigner.KeySetting]) ? null : ParticipantLinkSigner.From(builder.Configuration);
        builder.Services.AddSingleton(services => new ActionLinks(
            signer,
            builder.Configuration[ParticipantLinkSigner.PagesSetting],
            services.GetRequiredService<TimeProvider>()));
        return builder;
    }
}

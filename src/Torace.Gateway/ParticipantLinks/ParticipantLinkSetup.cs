using Torace.Platform.Tenancy;

namespace Torace.Gateway.ParticipantLinks;

public static class ParticipantLinkSetup
{
    public static IHostApplicationBuilder AddParticipantLinks(this IHostApplicationBuilder builder)
    {
        // Read now: a missing or short key stops start-up instead of the first stored answer or link.
        builder.Services.AddSingleton(GatewaySecrets.From(builder.Configuration));
        builder.Services.AddSingleton(sp => ParticipantLinkSigner.From(builder.Configuration, sp.GetService<TimeProvider>()));
        return builder;
    }
}

namespace Torace.Gateway.ParticipantLinks;

public static class ParticipantLinkSetup
{
    public static IHostApplicationBuilder AddParticipantLinks(this IHostApplicationBuilder builder)
    {
        // Read now: a missing or short Gateway:LinkSigningKey stops start-up instead of the first link.
        builder.Services.AddSingleton(GatewaySecrets.From(builder.Configuration));
        builder.Services.AddSingleton<ParticipantLinkSigner>();
        return builder;
    }
}

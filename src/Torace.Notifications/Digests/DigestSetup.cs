using Hangfire;
using MassTransit;
using Torace.Platform.Jobs;

namespace Torace.Notifications.Digests;

public static class DigestSetup
{
    /// <summary>Every 15 minutes: a digest goes out within a quarter of an hour of the district's hour.</summary>
    public const string DefaultSchedule = "*/15 * * * *";

    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DigestJob>();
        builder.AddHangfireJobs(workers: 1, queuePoll: TimeSpan.FromSeconds(15));
        return builder;
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<NoteNewMatch>();
        bus.AddConsumer<NoteOverdue>();
        bus.AddConsumer<NoteMissed>();
        bus.AddConsumer<NoteStalled>();
    }

    /// <summary>The digest's schedule is <c>Digest:Schedule</c> (a cron; the tests run it every few seconds).</summary>
    public static WebApplication MapDigests(this WebApplication app) =>
        app.KeepRecurringJob<DigestJob>(DigestJob.RecurringJobId, job => job.Send(CancellationToken.None), app.Configuration["Digest:Schedule"] ?? DefaultSchedule);
}

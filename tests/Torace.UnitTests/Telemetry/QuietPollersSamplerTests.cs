using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Torace.UnitTests.Telemetry;

/// <summary>
/// The sampling rule: pollers' root spans are dropped, a request's trace keeps every span it causes, and the
/// outbox's publish span follows the request whose trace context it restores.
/// </summary>
public sealed class QuietPollersSamplerTests : IDisposable
{
    // The rule never looks at the source, so the test uses its own sources and listens to nothing else.
    readonly ActivitySource requests = new("Torace.UnitTests.Sampler.Requests");
    readonly ActivitySource pollers = new("Torace.UnitTests.Sampler.Pollers");
    readonly TracerProvider provider;

    public QuietPollersSamplerTests()
    {
        provider = Sdk.CreateTracerProviderBuilder()
            .SetSampler(QuietPollersSampler.Create())
            .AddSource(requests.Name, pollers.Name)
            .Build()!;
    }

    [Theory]
    [InlineData("postgresql", ActivityKind.Client)]
    [InlineData("marten.daemon.highwatermark", ActivityKind.Internal)]
    [InlineData("marten.daemon.anything", ActivityKind.Client)]
    public void A_pollers_root_span_is_dropped(string name, ActivityKind kind)
    {
        Assert.True(QuietPollersSampler.IsPollerRoot(name, kind));
        // OpenTelemetry still creates a dropped span (not recorded) so that its children know to drop too.
        using var root = pollers.StartActivity(name, kind);
        Assert.False(root?.Recorded ?? false);
        using var command = pollers.StartActivity(QuietPollersSampler.NpgsqlCommandSpanName, ActivityKind.Client);
        Assert.False(command?.Recorded ?? false);
    }

    [Theory]
    [InlineData("GET /api/v1/programs", ActivityKind.Server)]
    [InlineData("POST", ActivityKind.Client)]
    [InlineData("outbox ProgramOpened", ActivityKind.Producer)]
    [InlineData("Matching.Runs.Solve", ActivityKind.Internal)]
    public void Any_other_root_span_is_recorded(string name, ActivityKind kind)
    {
        Assert.False(QuietPollersSampler.IsPollerRoot(name, kind));
        using var root = requests.StartActivity(name, kind);
        Assert.NotNull(root);
        Assert.True(root.Recorded);
    }

    [Fact]
    public void A_requests_database_commands_stay_in_its_trace()
    {
        using var request = requests.StartActivity("POST /api/v1/programs", ActivityKind.Server);
        using var command = pollers.StartActivity(QuietPollersSampler.NpgsqlCommandSpanName, ActivityKind.Client);
        using var daemonStep = pollers.StartActivity("marten.daemon.highwatermark");

        Assert.NotNull(command);
        Assert.True(command.Recorded);
        Assert.Equal(request!.TraceId, command.TraceId);
        Assert.NotNull(daemonStep);
        Assert.True(daemonStep.Recorded);
    }

    [Fact]
    public void The_outbox_publish_follows_the_stored_request_even_inside_a_dropped_daemon_span()
    {
        string traceparent;
        using (var request = requests.StartActivity("POST /api/v1/programs/open", ActivityKind.Server))
        {
            traceparent = request!.Id!;
        }

        using var daemonStep = pollers.StartActivity("marten.daemon.highwatermark");
        Assert.False(daemonStep?.Recorded ?? false);
        Assert.True(ActivityContext.TryParse(traceparent, null, out var stored));
        using var publish = requests.StartActivity("outbox ProgramOpened", ActivityKind.Producer, stored);
        using var send = requests.StartActivity("publish", ActivityKind.Producer);
        using var command = pollers.StartActivity(QuietPollersSampler.NpgsqlCommandSpanName, ActivityKind.Client);

        Assert.NotNull(publish);
        Assert.True(publish.Recorded);
        Assert.Equal(stored.TraceId, publish.TraceId);
        Assert.Equal(stored.TraceId, send!.TraceId);
        Assert.True(command!.Recorded);
        Assert.Equal(stored.TraceId, command.TraceId);
    }

    [Fact]
    public void A_span_under_a_dropped_remote_parent_is_dropped()
    {
        var unsampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        using var child = requests.StartActivity("consume", ActivityKind.Consumer, unsampled);
        Assert.False(child?.Recorded ?? false);
    }

    public void Dispose()
    {
        provider.Dispose();
        requests.Dispose();
        pollers.Dispose();
    }
}

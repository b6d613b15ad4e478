using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one rule for which traces are recorded. Background pollers (Marten's async daemon, Hangfire's and the
/// touchpoint sweeper's idle queries) start a root span every few seconds and would flood the dashboard's trace
/// list, so a root span that is a daemon step or a database command is dropped. Every span with a parent
/// follows its parent (ParentBased): a request's trace keeps all its Npgsql, MassTransit and consumer spans, the
/// queries inside a dropped daemon step are dropped with it, and the outbox's publish span, started with an explicit parent restored from the stored event's headers, follows
/// the request that stored the event even though the daemon span around it was dropped.
/// </summary>
public sealed class QuietPollersSampler : Sampler
{
    /// <summary>Npgsql 10 names a text command's span after the database system when it has no summary.</summary>
    public const string NpgsqlCommandSpanName = "postgresql";

    /// <summary>Marten's async daemon names its polling spans <c>marten.daemon.*</c> (e.g. highwatermark).</summary>
    public const string MartenDaemonSpanPrefix = "marten.daemon.";

    static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    static readonly SamplingResult Record = new(SamplingDecision.RecordAndSample);

    /// <summary>The sampler every Torace service uses: parents decide for children, this rule for roots.</summary>
    public static Sampler Create() => new ParentBasedSampler(new QuietPollersSampler());

    QuietPollersSampler()
    {
        Description = nameof(QuietPollersSampler);
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        IsPollerRoot(samplingParameters.Name, samplingParameters.Kind) ? Drop : Record;

    /// <summary>Whether a span started without a parent is a poller's: a database command or a daemon step.</summary>
    public static bool IsPollerRoot(string name, ActivityKind kind) =>
        (kind == ActivityKind.Client && name == NpgsqlCommandSpanName)
        || name.StartsWith(MartenDaemonSpanPrefix, StringComparison.Ordinal);
}

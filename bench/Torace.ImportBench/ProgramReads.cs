using System.Diagnostics;
using Torace.GatewayBench;

namespace Torace.ImportBench;

/// <summary>GET of one program (its definition, status and enrolment counts) through the gateway, one call at a time.</summary>
public sealed record ReadLatency(int Enrolments, int Calls, double P50, double P99, double Max);

public static class ProgramReads
{
    public static async Task<ReadLatency> Measure(HttpClient http, Guid programId, int enrolments, int calls, CancellationToken ct)
    {
        for (var i = 0; i < 20; i++)
        {
            (await http.GetAsync($"/api/v1/programs/{programId}", ct)).EnsureSuccessStatusCode();
        }
        var samples = new List<Sample>(calls);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var sent = clock.Elapsed;
            using var response = await http.GetAsync($"/api/v1/programs/{programId}", ct);
            await response.Content.LoadIntoBufferAsync(ct);
            samples.Add(new Sample("GET program", sent, clock.Elapsed - sent, (int)response.StatusCode));
        }
        if (samples.Any(s => s.Status != 200))
        {
            throw new InvalidOperationException($"GET program answered {string.Join(", ", samples.Where(s => s.Status != 200).Select(s => s.Status).Distinct())}.");
        }
        return new ReadLatency(enrolments, calls, Latencies.Percentile(samples, 50), Latencies.Percentile(samples, 99), Latencies.Percentile(samples, 100));
    }
}

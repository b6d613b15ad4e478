using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Torace.GatewayBench;

namespace Torace.ImportBench;

/// <summary>How long a way of enrolling N people took: until the last answer, until written, until Matching held every candidate.</summary>
public sealed record Throughput(string Name, int People, TimeSpan Answered, TimeSpan Written, TimeSpan? Held, int HeldCount, TimeSpan LastArrival, int Failures, string? Note)
{
    /// <summary>Candidates Matching held per second from the first request; when it never held them all, the rate up to the last arrival.</summary>
    public double PerSecond => Held is { } held ? People / held.TotalSeconds : HeldCount / LastArrival.TotalSeconds;
    public double WrittenPerSecond => People / Written.TotalSeconds;
}

/// <summary>
/// End to end through the gateway: a program's people enrolled by one CSV import or by single calls 16 at a time, timed
/// from the first request sent until Matching holds every one of them as a candidate (its waitlist counts them: the bench
/// enrols mentees only, so every candidate waits).
/// </summary>
public sealed class ImportThroughput(HttpClient http)
{
    /// <summary>Gives up when Matching has taken in nobody new for this long (a message dead-lettered never arrives).</summary>
    static readonly TimeSpan Stalled = TimeSpan.FromSeconds(60);
    static readonly TimeSpan HeldWithin = TimeSpan.FromMinutes(6);

    public static string Csv(string prefix, int people)
    {
        var csv = new StringBuilder("role,externalId,name,email,site,topics,modality,timeZone,capacity,jobRole,yearsExperience,availability\r\n");
        for (var i = 0; i < people; i++)
        {
            csv.Append($"mentee,{prefix}-{i},\"Mentee {i}, Jr\",{prefix}.{i}@import.example.org,School {i % 20},sel;math,virtual,America/Chicago,,teacher,{i % 30},tue-pm|thu-pm\r\n");
        }
        return csv.ToString();
    }

    static object Mentee(string prefix, int i) => new
    {
        role = "mentee",
        externalId = $"{prefix}-{i}",
        name = $"Mentee {i}, Jr",
        email = $"{prefix}.{i}@single.example.org",
        site = $"School {i % 20}",
        topics = new[] { "sel", "math" },
        modality = "virtual",
        timeZone = "America/Chicago",
        jobRole = "teacher",
        yearsExperience = i % 30,
        availability = new[] { "tue-pm", "thu-pm" },
    };

    /// <summary>One CSV import of <paramref name="people"/> mentees into <paramref name="programId"/>.</summary>
    public async Task<Throughput> Import(string name, Guid programId, string prefix, int people, CancellationToken ct, bool awaitHeld = true)
    {
        var body = Encoding.UTF8.GetBytes(Csv(prefix, people));
        var clock = Stopwatch.StartNew();
        using var content = new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } };
        using var response = await http.PostAsync($"/api/v1/programs/{programId}/enrolments/import", content, ct);
        var answered = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {text}");
        }
        var written = answered;
        var failures = 0;
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var location = response.Headers.Location!.ToString();
            while (true)
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync(location, ct));
                var state = status.RootElement.GetProperty("status").GetString();
                if (state is "completed" or "failed")
                {
                    written = clock.Elapsed;
                    failures = state == "failed" ? people : status.RootElement.GetProperty("counts").GetProperty("rejected").GetInt32();
                    break;
                }
                await Task.Delay(100, ct);
            }
        }
        var (held, count, last) = awaitHeld ? await AwaitHeld(programId, people, clock, ct) : (null, 0, written);
        return new Throughput(name, people, answered, written, held, count, last, failures, null);
    }

    /// <summary>Single enrolment calls, <paramref name="inFlight"/> at a time.</summary>
    public async Task<Throughput> Singles(string name, Guid programId, string prefix, int people, int inFlight, CancellationToken ct)
    {
        var failures = new ConcurrentBag<int>();
        var taken = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref taken); i < people; i = Interlocked.Increment(ref taken))
            {
                using var response = await http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", Mentee(prefix, i), ct);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add((int)response.StatusCode);
                }
            }
        }, ct)));
        var answered = clock.Elapsed;
        var (held, count, last) = await AwaitHeld(programId, people, clock, ct);
        return new Throughput(name, people, answered, answered, held, count, last, failures.Count,
            failures.IsEmpty ? null : string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Count()} × {g.Key}")));
    }

    /// <summary>Polls the program's waitlist until Matching holds <paramref name="people"/> candidates, or gives up after a bound.</summary>
    async Task<(TimeSpan? Held, int Count, TimeSpan LastArrival)> AwaitHeld(Guid programId, int people, Stopwatch clock, CancellationToken ct)
    {
        var count = 0;
        var grew = clock.Elapsed;
        while (clock.Elapsed < HeldWithin && clock.Elapsed - grew < Stalled)
        {
            using var waitlist = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/programs/{programId}/waitlist?limit=1", ct));
            var now = waitlist.RootElement.GetProperty("total").GetInt32();
            if (now >= people)
            {
                return (clock.Elapsed, now, clock.Elapsed);
            }
            if (now > count)
            {
                (count, grew) = (now, clock.Elapsed);
            }
            await Task.Delay(250, ct);
        }
        return (null, count, grew);
    }
}

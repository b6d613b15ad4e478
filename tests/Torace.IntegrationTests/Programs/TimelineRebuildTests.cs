using System.Net;
using System.Text.Json;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Torace.IntegrationTests.Fixture;
using Torace.Programs;
using Torace.Programs.History;

namespace Torace.IntegrationTests.Programs;

/// <summary>Programs alone on a database of its own, so a rebuild replays only what this test wrote.</summary>
public sealed class TimelineRebuildTests(ToraceSystem system) : IAsyncLifetime
{
    readonly IsolatedService<ProgramsIntegrationEvents> programs = new(system, "programs");

    public async ValueTask InitializeAsync() => await programs.Prepare(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await programs.DisposeAsync();

    [Fact]
    public async Task Rebuilding_the_timeline_from_the_streams_gives_the_same_entries()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(programs.District("demo-a"));
        var programId = await api.CreateOpenProgram("Rebuild check", DateTimeOffset.UtcNow.AddDays(3), ct);
        var kept = await api.Enrol(programId, DistrictApi.Person("mentor", "rebuild.mentor@a.example.org", "Lincoln", capacity: 2), ct);
        var left = await api.Enrol(programId, DistrictApi.Person("mentee", "rebuild.mentee@a.example.org", "Roosevelt"), ct);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/api/v1/programs/{programId}/enrolments/{left}", ct)).StatusCode);
        Assert.NotEqual(kept, left);

        var store = programs.Services.GetRequiredService<IDocumentStore>();
        var before = await Entries(store, programId, ct);
        Assert.Equal(["ProgramCreated", "ProgramOpened", "ParticipantEnrolled", "ParticipantEnrolled", "ParticipantWithdrawn"], before.Select(e => e.Type));

        await using (var session = store.LightweightSession("demo-a"))
        {
            session.DeleteWhere<TimelineEntry>(e => e.ProgramId == programId);
            await session.SaveChangesAsync(ct);
        }
        Assert.Empty(await Entries(store, programId, ct));

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(TimelineProjection.ProjectionName, TimeSpan.FromMinutes(2), ct);

        var after = await Entries(store, programId, ct);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));
    }

    static async Task<IReadOnlyList<TimelineEntry>> Entries(IDocumentStore store, Guid programId, CancellationToken ct)
    {
        await using var query = store.QuerySession("demo-a");
        return await query.Query<TimelineEntry>().Where(e => e.ProgramId == programId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
    }
}

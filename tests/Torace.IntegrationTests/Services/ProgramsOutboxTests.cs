using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Torace.Contracts.Programs;
using Torace.IntegrationTests.Fixture;
using Torace.Programs;

namespace Torace.IntegrationTests.Services;

/// <summary>Programs alone, on its own database and virtual host.</summary>
public sealed class ProgramsOutboxTests(ToraceSystem system) : IAsyncLifetime
{
    readonly IsolatedService<ProgramsIntegrationEvents> programs = new(system, "programs");

    public async ValueTask InitializeAsync() => await programs.Prepare(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await programs.DisposeAsync();

    [Fact]
    public async Task A_stored_enrolment_is_published_with_the_stored_event_id_as_its_message_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var heard = new ConcurrentDictionary<Guid, Guid>();
        var bus = await programs.Listen(e => e.Handler<ParticipantEnrolled>(context =>
        {
            heard[context.Message.EnrolmentId] = context.MessageId!.Value;
            return Task.CompletedTask;
        }), ct);
        var api = new DistrictApi(programs.District("demo-a"));

        var programId = await api.CreateOpenProgram("Outbox check", DateTimeOffset.UtcNow.AddDays(3), ct);
        var enrolmentId = await api.Enrol(programId, DistrictApi.Person("mentee", "outbox@a.example.org", "Lincoln"), ct);

        var messageId = (await Eventually.Until(_ => Task.FromResult(heard.TryGetValue(enrolmentId, out var id) ? id : Guid.Empty),
            id => id != Guid.Empty, "ParticipantEnrolled on the broker"));
        await using var query = programs.Services.GetRequiredService<IDocumentStore>().QuerySession("demo-a");
        var stored = (await query.Events.FetchStreamAsync(enrolmentId, token: ct))
            .Single(e => e.Data is Torace.Programs.Enrolment.ParticipantEnrolled enrolled && enrolled.EnrolmentId == enrolmentId);
        Assert.Equal(stored.Id, messageId);

        using var otherDistrict = programs.District("demo-b");
        Assert.Equal(HttpStatusCode.NotFound, (await otherDistrict.GetAsync($"/api/v1/programs/{programId}", ct)).StatusCode);
        await bus.StopAsync(ct);
    }
}

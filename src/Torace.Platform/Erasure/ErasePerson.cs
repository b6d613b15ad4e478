using MassTransit;
using Microsoft.Extensions.Logging;
using Torace.Contracts.Programs;

namespace Torace.Platform.Erasure;

/// <summary>
/// A service's part of an erasure: masks what its database holds of the enrolment. Erasing twice changes nothing more,
/// so a redelivery needs no inbox record; a database that is down is retried like any other fault.
/// </summary>
public sealed class ErasePerson(PersonalDataEraser eraser, ILogger<ErasePerson> log) : IConsumer<PersonErased>
{
    public async Task Consume(ConsumeContext<PersonErased> context)
    {
        var e = context.Message;
        var outcome = await eraser.Erase(e.TenantId, [e.EnrolmentId], context.CancellationToken);
        log.LogInformation("Erased enrolment {EnrolmentId} of {TenantId}: {Events} events and {Documents} documents masked",
            e.EnrolmentId, e.TenantId, outcome.Events, outcome.Documents);
    }
}

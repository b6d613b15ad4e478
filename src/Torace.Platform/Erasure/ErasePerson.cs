using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Torace.Contracts.Programs;
using Torace.Platform.Messaging;

namespace Torace.Platform.Erasure;

/// <summary>
/// A service's part of an erasure: masks what its database holds of the enrolment. Erasing twice changes nothing more,
/// so a redelivery needs no inbox record; a database that is down is retried like any other fault. A message already on
/// its way when the erasure came (an email's record on its way to the program's timeline) may store the person again,
/// so the erasure comes back once more for a second look a little later: what such a message stored still names the
/// enrolment beside the person (every stored person does), so the second look finds it the way the first did.
/// </summary>
public sealed class ErasePerson(PersonalDataEraser eraser, WaitQueues waits, IConfiguration configuration, ILogger<ErasePerson> log)
    : IConsumer<PersonErased>
{
    public const string SecondLookHeader = "torace-erasure-second-look";

    /// <summary>Two minutes, or <c>Erasure:SecondLook</c>.</summary>
    TimeSpan SecondLookAfter => TimeSpan.TryParse(configuration["Erasure:SecondLook"], CultureInfo.InvariantCulture, out var wait) ? wait : TimeSpan.FromMinutes(2);

    public async Task Consume(ConsumeContext<PersonErased> context)
    {
        var e = context.Message;
        var outcome = await eraser.Erase(e.TenantId, [e.EnrolmentId], context.CancellationToken);
        var secondLook = context.ReceiveContext.TransportHeaders.TryGetHeader(SecondLookHeader, out _);
        log.LogInformation("Erased enrolment {EnrolmentId} of {TenantId} ({Pass}): {Events} events and {Documents} documents masked",
            e.EnrolmentId, e.TenantId, secondLook ? "second look" : "first pass", outcome.Events, outcome.Documents);
        if (!secondLook)
        {
            await waits.Park(context.ReceiveContext, redelivery: 0, SecondLookAfter, context.CancellationToken, mark: SecondLookHeader);
        }
    }
}

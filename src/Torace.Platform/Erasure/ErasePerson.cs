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
/// its way when the erasure came (an email's record bound for the program's timeline, or one waiting out an outage for
/// up to the 32 minutes of <see cref="RedeliverySchedule"/>) may store the person again, so the erasure comes back twice
/// more: after <c>Erasure:SecondLook</c> (two minutes) and once the redelivery schedule is over. What such a message
/// stored names the enrolment beside the person (every stored person does), so a later look finds it as the first did.
/// </summary>
public sealed class ErasePerson(PersonalDataEraser eraser, WaitQueues waits, IConfiguration configuration, ILogger<ErasePerson> log)
    : IConsumer<PersonErased>
{
    public const string LookHeader = "torace-erasure-look";
    const int Looks = 3;

    public async Task Consume(ConsumeContext<PersonErased> context)
    {
        var e = context.Message;
        var outcome = await eraser.Erase(e.TenantId, [e.EnrolmentId], e.Pseudonym, e.ErasedAt, context.CancellationToken);
        var look = context.ReceiveContext.TransportHeaders.TryGetHeader(LookHeader, out var value) && int.TryParse(Text(value), out var n) ? n : 1;
        log.LogInformation("Erased enrolment {EnrolmentId} of {TenantId} (look {Look} of {Looks}): {Events} events and {Documents} documents masked",
            e.EnrolmentId, e.TenantId, look, Looks, outcome.Events, outcome.Documents);
        if (look < Looks)
        {
            var secondLook = TimeSpan.TryParse(configuration["Erasure:SecondLook"], CultureInfo.InvariantCulture, out var wait) ? wait : TimeSpan.FromMinutes(2);
            var until = look == 1 ? secondLook : RedeliverySchedule.Waits.Aggregate(TimeSpan.Zero, (sum, w) => sum + w);
            await waits.Park(context.ReceiveContext, redelivery: 0, until, context.CancellationToken, mark: (LookHeader, (look + 1).ToString(CultureInfo.InvariantCulture)));
        }
    }

    static string? Text(object? header) => header switch
    {
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => header?.ToString(),
    };
}

using System.Net.Sockets;
using JasperFx;
using MailKit.Net.Smtp;
using Npgsql;
using Torace.Platform.Messaging;

namespace Torace.UnitTests.Platform;

/// <summary>Which faults are retried later and which are dead-lettered at once, and how long the retries last.</summary>
public sealed class RetryPolicyTests
{
    static readonly TransientFaults Faults = new([]);

    [Fact]
    public void Conflicts_and_lost_connections_are_retried_later()
    {
        Assert.True(Faults.IsTransient(new ConcurrencyException(typeof(object), Guid.NewGuid())));
        Assert.True(Faults.IsTransient(new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(Faults.IsTransient(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.True(Faults.IsTransient(new AggregateException(new ArgumentException("x"), new IOException("reset"))));
    }

    [Fact]
    public void A_fault_no_retry_fixes_is_not_retried()
    {
        Assert.False(Faults.IsTransient(new ArgumentException("a bad field")));
        Assert.False(Faults.IsTransient(new FormatException()));
        Assert.False(Faults.IsTransient(new InvalidOperationException("a bug", new NullReferenceException())));
    }

    [Fact]
    public void A_service_adds_its_own_transient_faults()
    {
        var mail = new TransientFaults([fault => fault is SmtpCommandException { StatusCode: < (SmtpStatusCode)500 }]);

        Assert.True(mail.IsTransient(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "try later")));
        Assert.False(mail.IsTransient(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user")));
        Assert.False(Faults.IsTransient(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "try later")));
    }

    [Fact]
    public void Redeliveries_grow_and_last_more_than_half_an_hour_then_stop()
    {
        var waits = Enumerable.Range(1, RedeliverySchedule.Waits.Count).Select(n => RedeliverySchedule.WaitBefore(n)!.Value).ToList();

        Assert.True(waits.Zip(waits.Skip(1)).All(pair => pair.Second >= pair.First));
        Assert.True(waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) >= TimeSpan.FromMinutes(30));
        Assert.Null(RedeliverySchedule.WaitBefore(RedeliverySchedule.Waits.Count + 1));
        Assert.Null(RedeliverySchedule.WaitBefore(0));
    }
}

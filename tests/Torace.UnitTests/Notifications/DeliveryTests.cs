using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Platform.Messaging;

namespace Torace.UnitTests.Notifications;

/// <summary>Given a delivery's events / Then its state in the log: sent, failed with why, and whether it can be resent.</summary>
public class DeliveryTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid Id = Guid.NewGuid();
    static readonly Guid Program = Guid.NewGuid();
    static readonly Guid Recipient = Guid.NewGuid();
    static readonly EmailMessage Email = new("sam@a.example.org", "Sam Lee", Recipient, "match", "You have a mentor: SEL", "<p>Hello</p>");

    static EmailFailed Failed(string reason, string error, DateTimeOffset at) =>
        new(Id, Program, Guid.NewGuid(), "match", Email.To, Email.Subject, reason, error, at, Email, Recipient);

    static EmailDelivered Delivered(DateTimeOffset at, string? resentBy = null) =>
        new(Id, Program, Guid.NewGuid(), "match", Email.To, Email.Subject, at, Recipient, resentBy);

    static Delivery Given(object first, params object[] after)
    {
        var delivery = first switch
        {
            EmailDelivered d => Delivery.Create(d),
            EmailFailed f => Delivery.Create(f),
            _ => throw new ArgumentException(first.GetType().Name),
        };
        foreach (var e in after)
        {
            delivery = e switch
            {
                EmailDelivered d => delivery.Apply(d),
                EmailFailed f => delivery.Apply(f),
                _ => throw new ArgumentException(e.GetType().Name),
            };
        }
        return delivery;
    }

    [Fact]
    public void A_sent_email_is_sent_and_cannot_be_resent()
    {
        var delivery = Given(Delivered(Now));

        Assert.Equal((DeliveryState.Sent, Now, (DateTimeOffset?)Now, 0), (delivery.Status, delivery.RecordedAt, delivery.SentAt, delivery.Failures));
        Assert.False(delivery.CanResend);
    }

    [Fact]
    public void A_refused_email_is_failed_with_why_and_can_be_resent()
    {
        var delivery = Given(Failed(DeliveryFailure.Rejected, "550 5.1.1 mailbox unavailable", Now));

        Assert.Equal((DeliveryState.Failed, DeliveryFailure.Rejected, "550 5.1.1 mailbox unavailable", 1), (delivery.Status, delivery.Reason, delivery.Error, delivery.Failures));
        Assert.Null(delivery.SentAt);
        Assert.Equal(Now, delivery.RecordedAt);
        Assert.True(delivery.CanResend);
    }

    [Fact]
    public void A_resend_that_fails_again_counts_and_one_that_goes_out_is_sent_by_whom_keeping_its_first_moment()
    {
        var later = Now.AddHours(1);
        var refusedAgain = Given(Failed(DeliveryFailure.Unreachable, "no answer", Now), Failed(DeliveryFailure.Rejected, "550 gone", later));
        Assert.Equal((DeliveryState.Failed, DeliveryFailure.Rejected, 2, (DateTimeOffset?)later), (refusedAgain.Status, refusedAgain.Reason, refusedAgain.Failures, refusedAgain.FailedAt));

        var resent = Given(Failed(DeliveryFailure.Unreachable, "no answer", Now), Delivered(later, "coordinator:u-17"));
        Assert.Equal((DeliveryState.Sent, (DateTimeOffset?)later, "coordinator:u-17", Now), (resent.Status, resent.SentAt, resent.ResentBy, resent.RecordedAt));
        Assert.False(resent.CanResend);
    }

    [Fact]
    public void Only_the_last_redelivery_is_the_last_try()
    {
        Assert.False(RedeliverySchedule.IsLastTry(0));
        Assert.False(RedeliverySchedule.IsLastTry(RedeliverySchedule.Waits.Count - 1));
        Assert.True(RedeliverySchedule.IsLastTry(RedeliverySchedule.Waits.Count));
        Assert.InRange(RedeliverySchedule.Total, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(33));
    }
}

/// <summary>Every send of one delivery carries one Message-ID, so a mail system can drop the duplicate a crash can leave.</summary>
public class MessageIdTests
{
    static readonly Sender From = new("Torace", "no-reply@torace.local");
    static readonly EmailMessage Email = new("sam@a.example.org", "Sam Lee", null, "match", "You have a mentor", "<p>Hello</p>");

    [Fact]
    public void The_same_delivery_always_has_the_same_message_id_and_another_delivery_another()
    {
        var delivery = Delivery.KeyOf(Guid.NewGuid(), Email.To, Email.Kind);

        Assert.Equal($"{delivery:N}@torace.local", EmailMime.Of(Email, From, delivery).MessageId);
        Assert.Equal(EmailMime.Of(Email, From, delivery).MessageId, EmailMime.Of(Email, From, delivery).MessageId);
        Assert.NotEqual(EmailMime.Of(Email, From, delivery).MessageId, EmailMime.Of(Email, From, Delivery.KeyOf(Guid.NewGuid(), Email.To, Email.Kind)).MessageId);
    }
}

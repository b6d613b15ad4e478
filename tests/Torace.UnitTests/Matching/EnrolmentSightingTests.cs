using Torace.Matching.Candidates;

namespace Torace.UnitTests.Matching;

/// <summary>An enrolment's sighting keeps the latest withdrawal, whichever order the withdrawals arrive in.</summary>
public sealed class EnrolmentSightingTests
{
    static readonly DateTimeOffset Monday = new(2026, 9, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Given_a_withdrawal_when_a_later_one_arrives_then_the_later_one_is_kept()
    {
        var sighting = new EnrolmentSighting(Guid.NewGuid(), Monday);

        Assert.Equal(Monday.AddDays(2), sighting.Withdrawn(Monday.AddDays(2)).WithdrawnAt);
    }

    [Fact]
    public void Given_a_withdrawal_when_an_older_one_arrives_late_then_nothing_changes()
    {
        var sighting = new EnrolmentSighting(Guid.NewGuid(), Monday.AddDays(2));

        Assert.Same(sighting, sighting.Withdrawn(Monday));
    }
}

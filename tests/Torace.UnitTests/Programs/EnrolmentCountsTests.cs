using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class EnrolmentCountsTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid Lincoln = Guid.Parse("00000000-0000-7000-8000-000000000001");
    static readonly Guid Roosevelt = Guid.Parse("00000000-0000-7000-8000-000000000002");

    static ParticipantEnrolled Enrolled(Guid programId, string role, string externalId) =>
        new(programId, Enrolment.IdFor(programId, role, externalId), role, externalId, externalId, $"{externalId}@a.org", "Lincoln", ["sel"],
            "virtual", "UTC", role == Roles.Mentor ? 2 : 0, Now);

    static string? NoRole(Guid _) => null;

    [Fact]
    public void Given_one_transaction_enrolling_into_two_programs_when_counted_then_each_program_gets_one_change_in_program_order()
    {
        var events = new object[]
        {
            Enrolled(Roosevelt, Roles.Mentee, "HR-1"), Enrolled(Lincoln, Roles.Mentor, "HR-2"),
            Enrolled(Roosevelt, Roles.Mentee, "HR-3"), Enrolled(Roosevelt, Roles.Mentor, "HR-4"),
        };

        var changes = EnrolmentCounts.Changes(events, NoRole);

        Assert.Equal([Lincoln, Roosevelt], changes.Select(c => c.ProgramId));
        Assert.Equal((1, 0), (changes[0].Mentors, changes[0].Mentees));
        Assert.Equal((1, 2), (changes[1].Mentors, changes[1].Mentees));
        Assert.All(changes, c => Assert.InRange(c.Shard, 0, EnrolmentCounts.Shards - 1));
    }

    [Fact]
    public void Given_a_withdrawal_when_counted_then_the_role_the_enrolment_had_counts_down()
    {
        var mentor = Enrolled(Lincoln, Roles.Mentor, "HR-2");

        var changes = EnrolmentCounts.Changes([new ParticipantWithdrawn(Lincoln, mentor.EnrolmentId, Now)],
            id => id == mentor.EnrolmentId ? Roles.Mentor : null);

        var change = Assert.Single(changes);
        Assert.Equal((-1, 0), (change.Mentors, change.Mentees));
    }

    [Fact]
    public void Given_a_person_withdrawn_and_enrolled_again_in_one_transaction_when_counted_then_nothing_changes()
    {
        var mentee = Enrolled(Lincoln, Roles.Mentee, "HR-1");

        var changes = EnrolmentCounts.Changes([new ParticipantWithdrawn(Lincoln, mentee.EnrolmentId, Now), mentee], _ => Roles.Mentee);

        Assert.Empty(changes);
    }

    [Fact]
    public void Given_profile_changes_and_other_events_when_counted_then_no_count_changes()
    {
        var mentee = Enrolled(Lincoln, Roles.Mentee, "HR-1");

        var changes = EnrolmentCounts.Changes([new ParticipantProfileChanged(Lincoln, mentee.EnrolmentId, mentee with { Site = "Roosevelt" }, Now), "not an enrolment event"], NoRole);

        Assert.Empty(changes);
    }

    [Fact]
    public void Given_a_program_when_enrolments_are_spread_then_they_use_more_than_one_counter_row()
    {
        var shards = Enumerable.Range(0, 64)
            .Select(i => EnrolmentCounts.Changes([Enrolled(Lincoln, Roles.Mentee, $"HR-{i}")], NoRole).Single().Shard)
            .Distinct()
            .Count();

        Assert.True(shards > EnrolmentCounts.Shards / 2, $"64 enrolments used only {shards} of {EnrolmentCounts.Shards} counter rows");
    }
}

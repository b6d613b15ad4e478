using System.Text.Json;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Programs.Enrolment;
using Torace.Programs.History;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class TimelineFactsTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid ProgramId = Guid.NewGuid();

    [Fact]
    public void An_enrolment_becomes_an_entry_with_its_ids_and_values_and_no_sentence()
    {
        var enrolled = new ParticipantEnrolled(ProgramId, Guid.NewGuid(), Roles.Mentee, "HR-1", "Sam", "sam@a.org", "Lincoln", ["sel"], "virtual", "UTC", 0, Now);
        var eventId = Guid.NewGuid();

        var entry = TimelineFacts.ForOwn(eventId, enrolled, Now.AddSeconds(1), "integrator")!;

        Assert.Equal(new TimelineEntry(eventId, ProgramId, "ParticipantEnrolled", Now, "programs", "integrator", entry.Facts), entry);
        Assert.Equal(enrolled.EnrolmentId.ToString(), entry.Facts["enrolmentId"]);
        Assert.Equal("HR-1", entry.Facts["externalId"]);
        Assert.Equal("mentee", entry.Facts["role"]);
    }

    [Fact]
    public void The_same_stored_event_always_gives_the_same_entry_so_a_rebuild_changes_nothing()
    {
        var created = ProgramDecisions.Create(ProgramId, ProgramLifecycleTests.Definition(), Now);
        var id = Guid.NewGuid();

        var first = TimelineFacts.ForOwn(id, created, Now, null)!;
        var again = TimelineFacts.ForOwn(id, created, Now, null)!;

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(again));
    }

    [Fact]
    public void A_decline_names_the_participant_as_its_actor()
    {
        var declinedBy = Guid.NewGuid();
        var entry = TimelineFacts.ForMessage(Guid.NewGuid(), new MatchDeclined("demo-a", ProgramId, Guid.NewGuid(), declinedBy, "busy", Now));

        Assert.Equal("matching", entry.Service);
        Assert.Equal($"participant:{declinedBy}", entry.Actor);
        Assert.Equal("busy", entry.Facts["reason"]);
        Assert.Equal("true", entry.Facts["matchEnded"]);
    }

    [Fact]
    public void A_touchpoint_due_lists_its_recipients_by_enrolment_id()
    {
        var sam = new Participant(Guid.NewGuid(), "Sam", "sam@a.org", "Lincoln", "UTC");
        var entry = TimelineFacts.ForMessage(Guid.NewGuid(),
            new TouchpointDue("demo-a", ProgramId, Guid.NewGuid(), Guid.NewGuid(), "pre-reflection", 1, Now, "SEL", [sam]));

        Assert.Equal("scheduling", entry.Service);
        Assert.Equal(sam.EnrolmentId.ToString(), entry.Facts["recipientIds"]);
        Assert.Equal("1", entry.Facts["sessionNumber"]);
    }

    [Fact]
    public void Every_type_the_filter_accepts_is_a_type_the_timeline_records()
    {
        Assert.Equal(TimelineTypes.All.Length, TimelineTypes.All.Distinct().Count());
        Assert.Equal(new[] { "programs", "matching", "scheduling", "notifications" },
            TimelineTypes.All.Select(TimelineTypes.ServiceOf).Distinct());
    }
}

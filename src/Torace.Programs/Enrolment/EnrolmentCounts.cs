using Marten;

namespace Torace.Programs.Enrolment;

/// <summary>How many mentors and mentees are actively enrolled, counted over the enrolment projection (no shared counter to contend on).</summary>
public static class EnrolmentCounts
{
    public static async Task<IReadOnlyDictionary<Guid, (int Mentors, int Mentees)>> Of(IQuerySession session, IReadOnlyList<Guid> programIds, CancellationToken ct)
    {
        if (programIds.Count == 0)
        {
            return new Dictionary<Guid, (int, int)>();
        }
        var batch = session.CreateBatchQuery();
        var pending = programIds.Select(id => (
            Id: id,
            Mentors: batch.Query<Enrolment>().Where(e => e.Profile.ProgramId == id && e.Active && e.Profile.Role == Lifecycle.Roles.Mentor).Count(),
            Mentees: batch.Query<Enrolment>().Where(e => e.Profile.ProgramId == id && e.Active && e.Profile.Role == Lifecycle.Roles.Mentee).Count()))
            .ToList();
        await batch.Execute(ct);
        var counts = new Dictionary<Guid, (int, int)>();
        foreach (var (id, mentors, mentees) in pending)
        {
            counts[id] = ((int)await mentors, (int)await mentees);
        }
        return counts;
    }
}

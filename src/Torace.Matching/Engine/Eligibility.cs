namespace Torace.Matching.Engine;

/// <summary>The hard constraints: may this mentor be matched with this mentee at all?</summary>
public static class Eligibility
{
    public static bool Allows(PoolRules rules, Person mentor, Person mentee) =>
        mentor.ExternalId != mentee.ExternalId
        && SitesAllow(rules.Sites, mentor.Site, mentee.Site)
        && ModalitiesMeet(mentor, mentee);

    static bool SitesAllow(string rule, string mentorSite, string menteeSite) => rule switch
    {
        "same" => SameSite(mentorSite, menteeSite),
        "other" => !SameSite(mentorSite, menteeSite),
        _ => true,
    };

    /// <summary>Virtual and in-person never meet; two in-person people must share a site.</summary>
    static bool ModalitiesMeet(Person mentor, Person mentee) => (mentor.Modality, mentee.Modality) switch
    {
        ("virtual", "in-person") or ("in-person", "virtual") => false,
        ("in-person", _) or (_, "in-person") => SameSite(mentor.Site, mentee.Site),
        _ => true,
    };

    static bool SameSite(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<string> SharedTopics(Person mentor, Person mentee) =>
        [.. mentee.Topics.Intersect(mentor.Topics, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
}

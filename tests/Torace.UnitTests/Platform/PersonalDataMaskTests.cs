using System.Text.Json.Nodes;
using Torace.Platform.Erasure;

namespace Torace.UnitTests.Platform;

public class PersonalDataMaskTests
{
    static readonly Guid Maria = Guid.Parse("6f0d2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f");
    static readonly Guid Sam = Guid.Parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    static readonly Guid Pseudonym = Guid.Parse("99999999-8888-4777-8666-555555555555");

    static PersonalIdentifiers Erasing(params JsonNode[] seen)
    {
        var person = new PersonalIdentifiers([Maria], Pseudonym);
        foreach (var node in seen)
        {
            PersonalDataMask.Collect(node, person);
        }
        return person;
    }

    /// <summary>A published match as Matching stores it (MatchProposed: the mentor and mentees as participants).</summary>
    static JsonNode Match() => JsonNode.Parse($$"""
        {
          "matchId": "11111111-2222-4333-8444-555555555555",
          "mentor": { "enrolmentId": "{{Maria}}", "externalId": "hr-4471", "name": "Maria Lopez", "email": "maria.lopez@lincoln.example.org", "site": "Lincoln High" },
          "mentees": [ { "enrolmentId": "{{Sam}}", "externalId": "hr-5120", "name": "Sam Ortiz", "email": "sam@roosevelt.example.org", "site": "Roosevelt" } ],
          "notes": "Maria Lopez asked to meet on Tuesdays",
          "byEmail": { "maria.lopez@lincoln.example.org": "sent" }
        }
        """)!;

    [Fact]
    public void The_erased_person_is_masked_wherever_they_appear_and_the_other_person_stays()
    {
        var match = Match();
        var person = Erasing(match);

        Assert.True(PersonalDataMask.Mask(match, person));

        var text = match.ToJsonString();
        Assert.DoesNotContain("Maria Lopez", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("maria.lopez@lincoln.example.org", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hr-4471", text, StringComparison.Ordinal);
        Assert.Equal(Erased.Name, match["mentor"]!["name"]!.GetValue<string>());
        Assert.Equal(Erased.Email, match["mentor"]!["email"]!.GetValue<string>());
        Assert.Equal(Erased.ExternalId(Pseudonym), match["mentor"]!["externalId"]!.GetValue<string>());
        Assert.Equal("Lincoln High", match["mentor"]!["site"]!.GetValue<string>());
        Assert.Equal(Maria.ToString(), match["mentor"]!["enrolmentId"]!.GetValue<string>());
        Assert.Equal("Erased person asked to meet on Tuesdays", match["notes"]!.GetValue<string>());
        Assert.Equal("sent", match["byEmail"]![Erased.Email]!.GetValue<string>());
        Assert.Equal("Sam Ortiz", match["mentees"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("sam@roosevelt.example.org", match["mentees"]![0]!["email"]!.GetValue<string>());
    }

    [Fact]
    public void A_reflection_they_submitted_and_a_decline_beside_them_are_masked_and_masking_twice_changes_nothing_more()
    {
        // TouchpointSubmitted (submittedBy is the enrolment) and MatchDeclinedByParticipant (the decliner beside a reason).
        var reflection = JsonNode.Parse($$"""{ "touchpointId": "{{Sam}}", "kind": "action-steps", "response": "I felt unsure", "link": "https://docs.example.org/mine", "submittedBy": "{{Maria}}" }""")!;
        var decline = JsonNode.Parse($$"""{ "matchId": "{{Sam}}", "decliner": { "enrolmentId": "{{Maria}}", "name": "Maria Lopez" }, "reason": "Moving schools", "endsMatch": true }""")!;
        var person = Erasing(reflection, decline);

        Assert.True(PersonalDataMask.Mask(reflection, person));
        Assert.True(PersonalDataMask.Mask(decline, person));

        Assert.Equal((Erased.Text, Erased.Text, "action-steps"), (reflection["response"]!.GetValue<string>(), reflection["link"]!.GetValue<string>(), reflection["kind"]!.GetValue<string>()));
        Assert.Equal(Erased.Text, decline["reason"]!.GetValue<string>());
        Assert.False(PersonalDataMask.Mask(reflection, person));
        Assert.False(PersonalDataMask.Mask(decline, person));
    }

    [Fact]
    public void Another_persons_address_id_or_site_that_merely_contains_theirs_stays_as_it_is()
    {
        var ann = new PersonalIdentifiers([Maria], Pseudonym);
        PersonalDataMask.Collect(JsonNode.Parse($$"""{ "enrolmentId": "{{Maria}}", "name": "Madison", "email": "ann@x.org", "externalId": "hr-1234" }""")!, ann);
        var others = JsonNode.Parse("""
            { "email": "joann@x.org", "externalId": "hr-12345", "site": "Madison High", "cc": "ann@x.org.example", "note": "write to ann@x.org today" }
            """)!;

        PersonalDataMask.Mask(others, ann);

        Assert.Equal("joann@x.org", others["email"]!.GetValue<string>());
        Assert.Equal("hr-12345", others["externalId"]!.GetValue<string>());
        Assert.Equal("Madison High", others["site"]!.GetValue<string>());
        Assert.Equal("ann@x.org.example", others["cc"]!.GetValue<string>());
        Assert.Equal($"write to {Erased.Email} today", others["note"]!.GetValue<string>());
    }

    [Fact]
    public void A_stored_answer_kept_as_json_text_is_masked_as_the_document_it_is_whatever_its_escapes()
    {
        var enrolment = JsonNode.Parse($$"""{ "id": "{{Maria}}", "externalId": "hr-4471", "name": "José Núñez", "email": "jose+pd@lincoln.example.org" }""")!;
        var person = Erasing(enrolment);
        var stored = new JsonObject { ["body"] = "{\"id\":\"" + Maria + "\",\"name\":\"Jos\\u00E9 N\\u00FA\\u00F1ez\",\"email\":\"jose\\u002Bpd@lincoln.example.org\"}" };

        Assert.True(PersonalDataMask.Mask(stored, person));

        var body = JsonNode.Parse(stored["body"]!.GetValue<string>())!;
        Assert.Equal((Erased.Name, Erased.Email), (body["name"]!.GetValue<string>(), body["email"]!.GetValue<string>()));
    }

    [Fact]
    public void A_short_name_is_masked_only_as_a_whole_value_never_inside_other_words()
    {
        var delivery = JsonNode.Parse($$"""{ "enrolmentId": "{{Maria}}", "name": "Ann", "program": "Annual planning", "members": ["Ann", "Bo"] }""")!;
        var person = Erasing(delivery);

        PersonalDataMask.Mask(delivery, person);

        Assert.Equal("Annual planning", delivery["program"]!.GetValue<string>());
        Assert.Equal([Erased.Name, "Bo"], delivery["members"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Rows_are_found_by_the_persons_ids_and_address_never_by_a_name_another_person_may_share()
    {
        var person = Erasing(Match());

        Assert.Contains(Maria.ToString(), person.SearchTerms);
        Assert.Contains("maria.lopez@lincoln.example.org", person.SearchTerms);
        Assert.DoesNotContain("Maria Lopez", person.SearchTerms);
        Assert.DoesNotContain(Sam.ToString(), person.SearchTerms);
    }

    [Fact]
    public void An_erased_address_is_recognised_so_nothing_is_sent_to_it()
    {
        Assert.True(Erased.IsAddress(Erased.Email));
        Assert.False(Erased.IsAddress("maria.lopez@lincoln.example.org"));
    }
}

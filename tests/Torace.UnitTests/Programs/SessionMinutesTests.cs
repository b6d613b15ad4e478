using System.Text.Json;
using System.Text.Json.Nodes;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class SessionMinutesTests
{
    [Fact]
    public void A_definition_stored_before_session_minutes_existed_reads_as_45_minutes()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var stored = JsonSerializer.SerializeToNode(ProgramLifecycleTests.Definition(), options)!.AsObject();
        stored.Remove("sessionMinutes");

        var read = stored.Deserialize<ProgramDefinition>(options)!;

        Assert.Equal(45, read.SessionMinutes);
    }

    [Fact]
    public void A_program_without_session_minutes_gets_45_and_one_outside_5_to_480_is_refused_naming_the_field()
    {
        var request = ProgramRequestValidationTests.Valid();
        var validation = new Torace.Platform.Api.Validation();
        Assert.Equal(45, request.ToDefinition(validation)!.SessionMinutes);

        Assert.Equal(["sessionMinutes"], ProgramRequestValidationTests.FieldsWrongIn(request with { SessionMinutes = 0 }));
        Assert.Equal(["sessionMinutes"], ProgramRequestValidationTests.FieldsWrongIn(request with { SessionMinutes = 481 }));
        Assert.Equal(60, (request with { SessionMinutes = 60 }).ToDefinition(new Torace.Platform.Api.Validation())!.SessionMinutes);
    }
}

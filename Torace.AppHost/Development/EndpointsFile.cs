using System.Text.Json;
using System.Text.Json.Serialization;

namespace Torace.AppHost.Development;

/// <summary>.torace/endpoints.json: every URL and key a person or a script needs, without reading logs.</summary>
public sealed record EndpointsFile(
    string? Dashboard,
    string Gateway,
    string Admin,
    string Participate,
    string? Mail,
    string? RabbitmqManagement,
    string Hangfire,
    IReadOnlyDictionary<string, string> Metrics,
    IReadOnlyList<DevelopmentDistrict> Districts)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public void Write(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "endpoints.json");
        // Written beside and moved into place, so whoever waits for the file (the tests, the benches) never reads half of it.
        var written = path + ".writing";
        File.WriteAllText(written, JsonSerializer.Serialize(this, Json));
        File.Move(written, path, overwrite: true);
        Console.WriteLine($"Torace is up. Endpoints and district API keys: {path}");
        Console.WriteLine($"  gateway: {Gateway}");
        Console.WriteLine($"  admin:   {Admin} (each district's coordinator login is in the file)");
        Console.WriteLine($"  participant pages: {Participate} (opened from the links in the emails)");
        if (Dashboard is not null)
        {
            Console.WriteLine($"  dashboard: {Dashboard}");
        }
    }
}

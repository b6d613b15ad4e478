using System.Security.Cryptography;
using System.Text.Json;

namespace Torace.AppHost.Development;

/// <summary>
/// The secrets a local system needs: the key the gateway signs service tokens with, the gateway's own key for
/// participant links, and an API key per development district. Kept in the state folder's secrets.json so a restart
/// keeps working keys; a secrets.json from before participant links gains a link key and keeps the rest.
/// </summary>
public sealed record DevelopmentSecrets(string ServiceTokenKey, IReadOnlyList<DevelopmentDistrict> Districts, string LinkSigningKey)
{
    public static readonly string[] DistrictNames = ["demo-a", "demo-b"];

    public static DevelopmentSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "secrets.json");
        if (File.Exists(path)
            && JsonSerializer.Deserialize<DevelopmentSecrets>(File.ReadAllText(path)) is { } saved
            && saved.Districts.Select(d => d.Name).SequenceEqual(DistrictNames))
        {
            return string.IsNullOrEmpty(saved.LinkSigningKey) ? Save(path, saved with { LinkSigningKey = NewKey() }) : saved;
        }

        Directory.CreateDirectory(stateDirectory);
        return Save(path, new DevelopmentSecrets(
            NewKey(),
            [.. DistrictNames.Select(name => new DevelopmentDistrict(name, "trc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))))],
            NewKey()));
    }

    static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    static DevelopmentSecrets Save(string path, DevelopmentSecrets secrets)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }
}

public sealed record DevelopmentDistrict(string Name, string ApiKey);

using System.Security.Cryptography;
using System.Text.Json;

namespace Torace.AppHost.Development;

/// <summary>
/// The secrets a local system needs: the key the gateway signs service tokens with, and an API key per
/// development district. Kept in the state folder's secrets.json so a restart keeps working keys.
/// </summary>
public sealed record DevelopmentSecrets(string ServiceTokenKey, IReadOnlyList<DevelopmentDistrict> Districts)
{
    public static readonly string[] DistrictNames = ["demo-a", "demo-b"];

    public static DevelopmentSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "secrets.json");
        if (File.Exists(path)
            && JsonSerializer.Deserialize<DevelopmentSecrets>(File.ReadAllText(path)) is { } saved
            && saved.Districts.Select(d => d.Name).SequenceEqual(DistrictNames))
        {
            return saved;
        }

        var secrets = new DevelopmentSecrets(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [.. DistrictNames.Select(name => new DevelopmentDistrict(name, "trc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))))]);
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }
}

public sealed record DevelopmentDistrict(string Name, string ApiKey);

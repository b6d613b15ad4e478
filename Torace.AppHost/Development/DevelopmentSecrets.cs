using System.Security.Cryptography;
using System.Text.Json;

namespace Torace.AppHost.Development;

/// <summary>
/// The secrets a local system needs: the key the gateway signs service tokens with, the participant-link key (the
/// gateway checks links, Notifications signs those it emails), the key the admin front end vouches for coordinators
/// with, the gateway's own secret (its stored answers' encryption), and per development district an API key and a
/// coordinator's login. Kept in the state folder's secrets.json so a restart keeps working keys; a
/// secrets.json from an earlier version gains what it lacks and keeps the rest.
/// </summary>
public sealed record DevelopmentSecrets(
    string ServiceTokenKey, IReadOnlyList<DevelopmentDistrict> Districts, string LinkSigningKey, string? CoordinatorSigningKey = null,
    string? GatewayKey = null)
{
    public static readonly string[] DistrictNames = ["demo-a", "demo-b"];

    public static DevelopmentSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "secrets.json");
        if (File.Exists(path)
            && JsonSerializer.Deserialize<DevelopmentSecrets>(File.ReadAllText(path)) is { } saved
            && saved.Districts.Select(d => d.Name).SequenceEqual(DistrictNames))
        {
            var completed = saved with
            {
                LinkSigningKey = string.IsNullOrEmpty(saved.LinkSigningKey) ? NewKey() : saved.LinkSigningKey,
                CoordinatorSigningKey = saved.CoordinatorSigningKey ?? NewKey(),
                // Before links had a key of their own the gateway's secret was the link key: answers it stored stay readable.
                GatewayKey = saved.GatewayKey ?? (string.IsNullOrEmpty(saved.LinkSigningKey) ? NewKey() : saved.LinkSigningKey),
                Districts = [.. saved.Districts.Select(d => d with { Coordinator = d.Coordinator ?? NewCoordinator(d.Name) })],
            };
            var complete = !string.IsNullOrEmpty(saved.LinkSigningKey) && saved.CoordinatorSigningKey is not null && saved.GatewayKey is not null
                && saved.Districts.All(d => d.Coordinator is not null);
            return complete ? saved : Save(path, completed);
        }

        Directory.CreateDirectory(stateDirectory);
        return Save(path, new DevelopmentSecrets(
            NewKey(),
            [.. DistrictNames.Select(name => new DevelopmentDistrict(name, "trc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), NewCoordinator(name)))],
            NewKey(),
            NewKey(),
            NewKey()));
    }

    static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The district's first coordinator, a district admin, with a random password (it passes the admin app's password rules).</summary>
    static DevelopmentCoordinator NewCoordinator(string district) =>
        new($"coordinator@{district}.example.org", "Tr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9)) + "-A1");

    static DevelopmentSecrets Save(string path, DevelopmentSecrets secrets)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }
}

public sealed record DevelopmentDistrict(string Name, string ApiKey, DevelopmentCoordinator? Coordinator = null);

/// <summary>A coordinator's login for the admin front end (endpoints.json: districts[].coordinator).</summary>
public sealed record DevelopmentCoordinator(string Email, string Password);

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>Where local infrastructure keeps its data, and whether durability may be traded for speed (tests).</summary>
public sealed record LocalInfrastructureOptions(string DataDirectory, string ToolsDirectory, bool Ephemeral)
{
    /// <summary>
    /// Data lives in the state folder (the repository's git-ignored .torace/ unless Torace:StateDirectory
    /// says otherwise), so a restart keeps the programs. Tools (maildev) are installed once per checkout.
    /// With Torace:Ephemeral=true (tests) PostgreSQL runs with fsync off.
    /// </summary>
    public static LocalInfrastructureOptions From(string repositoryRoot, string stateDirectory, bool ephemeral)
    {
        var data = Path.Combine(stateDirectory, "data");
        Directory.CreateDirectory(data);
        return new LocalInfrastructureOptions(data, ToolsDirectoryOf(repositoryRoot), ephemeral);
    }

    /// <summary>Where npm tools (maildev, Redocly CLI) are installed for a checkout: once, whatever the state folder.</summary>
    public static string ToolsDirectoryOf(string repositoryRoot) => Path.Combine(repositoryRoot, ".torace", "tools");
}

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>Where local infrastructure keeps its data and whether it is thrown away afterwards (tests).</summary>
public sealed record LocalInfrastructureOptions(string DataDirectory, string ToolsDirectory, bool Ephemeral)
{
    /// <summary>
    /// Development keeps data under the repository's git-ignored .torace/ so a restart keeps the programs;
    /// tests (Torace:Ephemeral=true) use a fresh temporary folder with fsync off.
    /// </summary>
    public static LocalInfrastructureOptions From(string repositoryRoot, bool ephemeral)
    {
        var state = Path.Combine(repositoryRoot, ".torace");
        var data = ephemeral
            ? Path.Combine(Path.GetTempPath(), "torace-" + Guid.NewGuid().ToString("N")[..12])
            : Path.Combine(state, "data");
        Directory.CreateDirectory(data);
        return new LocalInfrastructureOptions(data, Path.Combine(state, "tools"), ephemeral);
    }
}

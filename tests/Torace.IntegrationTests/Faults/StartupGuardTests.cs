using System.Diagnostics;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Faults;

/// <summary>
/// README's first command with a local server that cannot start: the AppHost says which and why, and exits 1,
/// instead of leaving every service waiting for it. Runs with the fault tests, alone.
/// </summary>
[Collection(nameof(FaultTests))]
[Trait("Category", "Faults")]
public sealed class StartupGuardTests
{
    [Fact]
    public async Task An_AppHost_whose_PostgreSQL_cannot_start_says_why_and_exits_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var state = Directory.CreateTempSubdirectory("torace-guard-");
        try
        {
            await StartsAndGivesUp(state, ct);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    static async Task StartsAndGivesUp(DirectoryInfo state, CancellationToken ct)
    {
        // A data folder that claims to hold a cluster but holds nothing else: postgres refuses it at once.
        var cluster = Directory.CreateDirectory(Path.Combine(state.FullName, "data", "postgres", "cluster"));
        await File.WriteAllTextAsync(Path.Combine(cluster.FullName, "PG_VERSION"), "15\n", ct);

        using var appHost = Process.Start(new ProcessStartInfo("dotnet",
            ["run", "--no-build", "--project", Path.Combine(Repository.Root, "Torace.AppHost"), "--", $"--Torace:StateDirectory={state.FullName}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        })!;
        var output = appHost.StandardOutput.ReadToEndAsync(ct);
        var errors = appHost.StandardError.ReadToEndAsync(ct);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromMinutes(3));
        var took = Stopwatch.StartNew();
        try
        {
            await appHost.WaitForExitAsync(bound.Token);
        }
        finally
        {
            if (!appHost.HasExited)
            {
                appHost.Kill(entireProcessTree: true);
            }
        }

        var said = await output + await errors;
        Assert.True(appHost.ExitCode == 1, $"exit code {appHost.ExitCode}; output:\n{said}");
        Assert.Contains("postgres ended", said, StringComparison.Ordinal);
        Assert.Contains("before it was ever healthy", said, StringComparison.Ordinal);
        Assert.Contains("postgresql.conf", said, StringComparison.Ordinal); // postgres's own reason, passed on
        TestContext.Current.TestOutputHelper?.WriteLine($"the AppHost said why and exited 1 after {took.Elapsed.TotalSeconds:0} s");
    }
}

using System.Diagnostics;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>
/// Installs what the local infrastructure and the tests run from (Debian's postgresql and rabbitmq-server, npm's
/// maildev and Redocly CLI) before they are used. As root it installs; otherwise it says which command to run.
/// </summary>
public static class LocalPackages
{
    public const string MailDevVersion = "3.0.0";

    /// <summary>The OpenAPI linter the tests run over the gateway's merged document (works offline).</summary>
    public const string RedoclyCliVersion = "2.77.0";

    public static string PostgresBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault() ?? ""
            : "";

    public const string RabbitMqBinDirectory = "/usr/lib/rabbitmq/bin";

    static readonly string MailDevEntry = Path.Combine("dist", "bin", "maildev.js");

    public static string MailDevScript(string toolsDirectory) => NpmScript(toolsDirectory, "maildev", MailDevEntry);

    /// <summary>Redocly CLI's entry script, installed in a folder of its own so it never disturbs maildev's.</summary>
    public static string EnsureRedoclyCli(string toolsDirectory) =>
        EnsureNpmPackage(Path.Combine(toolsDirectory, "redocly-cli"), "@redocly/cli", RedoclyCliVersion, Path.Combine("bin", "cli.js"));

    /// <summary>Debian's Chromium, which the browser tests drive through Playwright (installed when missing).</summary>
    public static string EnsureChromium()
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            InstallDebianPackages(["chromium"]);
        }
        return chromium;
    }

    static string NpmScript(string prefix, string package, string entry) => Path.Combine(prefix, "node_modules", package, entry);

    public static void Ensure(string toolsDirectory, bool needPostgres, bool needRabbitMq, bool needMailDev)
    {
        var missing = new List<string>();
        if (needPostgres && PostgresBinDirectory().Length == 0) missing.Add("postgresql");
        if (needRabbitMq && !File.Exists(Path.Combine(RabbitMqBinDirectory, "rabbitmq-server"))) missing.Add("rabbitmq-server");
        if (needMailDev && !OnPath("node")) missing.AddRange(NodeJs);

        InstallDebianPackages(missing);

        if (needMailDev)
        {
            EnsureNpmPackage(toolsDirectory, "maildev", MailDevVersion, MailDevEntry);
        }
    }

    static readonly string[] NodeJs = ["nodejs", "npm"];

    /// <summary>
    /// Installs a pinned npm package under the prefix folder unless that version is there already (node and npm from
    /// Debian first, when missing), and answers the path of the script to run with node.
    /// </summary>
    public static string EnsureNpmPackage(string prefix, string package, string version, string entry)
    {
        if (!OnPath("node") || !OnPath("npm"))
        {
            InstallDebianPackages([.. NodeJs]);
        }
        var script = NpmScript(prefix, package, entry);
        var manifest = Path.Combine(prefix, "node_modules", package, "package.json");
        if (File.Exists(script) && File.Exists(manifest) && File.ReadAllText(manifest).Contains($"\"version\": \"{version}\"", StringComparison.Ordinal))
        {
            return script;
        }
        Directory.CreateDirectory(prefix);
        Console.WriteLine($"Installing {package} {version} from npm into {prefix}…");
        Run("npm", $"install --no-save --no-audit --no-fund --prefix \"{prefix}\" {package}@{version}");
        return script;
    }

    static readonly object AptGate = new();

    static void InstallDebianPackages(List<string> missing)
    {
        if (missing.Count > 0)
        {
            var command = $"apt-get update && apt-get install -y {string.Join(' ', missing)}";
            if (!IsRoot())
            {
                throw new InvalidOperationException($"Torace's local infrastructure needs Debian packages that are missing. Run as root: {command}");
            }
            // Two callers at once (two browser test classes starting together) take turns: in this process by the
            // lock, across processes by apt's own lock, which apt-get now waits for instead of failing at once.
            lock (AptGate)
            {
                Console.WriteLine($"Installing {string.Join(", ", missing)} (first run on this machine)…");
                Run("apt-get", "-o DPkg::Lock::Timeout=600 update -qq");
                Run("apt-get", $"-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends {string.Join(' ', missing)}", ("DEBIAN_FRONTEND", "noninteractive"));
            }
        }
    }

    public static bool IsRoot() => Environment.UserName == "root";

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    internal static void Run(string file, string arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}:\n{output.Result}\n{error.Result}");
        }
    }
}

using System.Diagnostics;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>
/// Installs what the local infrastructure runs from (Debian's postgresql and rabbitmq-server, npm's
/// maildev) before the model is built. As root it installs; otherwise it says which command to run.
/// </summary>
public static class LocalPackages
{
    public const string MailDevVersion = "3.0.0";

    public static string PostgresBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault() ?? ""
            : "";

    public const string RabbitMqBinDirectory = "/usr/lib/rabbitmq/bin";

    public static string MailDevScript(string toolsDirectory) =>
        Path.Combine(toolsDirectory, "node_modules", "maildev", "dist", "bin", "maildev.js");

    public static void Ensure(string toolsDirectory, bool needPostgres, bool needRabbitMq, bool needMailDev)
    {
        var missing = new List<string>();
        if (needPostgres && PostgresBinDirectory().Length == 0) missing.Add("postgresql");
        if (needRabbitMq && !File.Exists(Path.Combine(RabbitMqBinDirectory, "rabbitmq-server"))) missing.Add("rabbitmq-server");
        if (needMailDev && !OnPath("node")) missing.AddRange(["nodejs", "npm"]);

        if (missing.Count > 0)
        {
            var command = $"apt-get update && apt-get install -y {string.Join(' ', missing)}";
            if (!IsRoot())
            {
                throw new InvalidOperationException($"Torace's local infrastructure needs Debian packages that are missing. Run as root: {command}");
            }
            Console.WriteLine($"Installing {string.Join(", ", missing)} (first run on this machine)…");
            Run("apt-get", "update -qq");
            Run("apt-get", $"install -y -qq --no-install-recommends {string.Join(' ', missing)}", ("DEBIAN_FRONTEND", "noninteractive"));
        }

        if (needMailDev && !File.Exists(MailDevScript(toolsDirectory)))
        {
            Directory.CreateDirectory(toolsDirectory);
            Console.WriteLine($"Installing maildev {MailDevVersion} from npm into {toolsDirectory}…");
            Run("npm", $"install --no-save --prefix \"{toolsDirectory}\" maildev@{MailDevVersion}");
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

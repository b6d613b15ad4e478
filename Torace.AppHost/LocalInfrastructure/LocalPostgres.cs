using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>PostgreSQL from Debian's package, run in the foreground as an executable resource.</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}

public static class LocalPostgres
{
    /// <summary>
    /// initdb once (trust on loopback), then the postgres binary in the foreground on a free loopback port.
    /// PostgreSQL refuses to run as root, so as root it runs as the postgres user through setpriv.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalInfrastructureOptions options)
    {
        var bin = LocalPackages.PostgresBinDirectory();
        var data = PrepareDataDirectory(options, bin);
        var socket = Path.Combine(data, "socket");
        Directory.CreateDirectory(socket);
        OwnForPostgres(socket);

        var port = LocalPorts.Free();
        var postgres = Path.Combine(bin, "postgres");
        string[] serverArgs =
        [
            "-D", Path.Combine(data, "cluster"), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", socket,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
            .. options.Ephemeral ? new[] { "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off" } : [],
        ];
        var (command, args) = StoppedFast(AsPostgresUser(postgres, serverArgs));

        var resource = new LocalPostgresResource(name, command, data, port);
        var healthCheck = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async ct =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(resource.ConnectionString + ";Timeout=3;Pooling=false");
                await connection.OpenAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithHealthCheck(healthCheck)
            .WaitsForPreviousServer(Path.Combine(data, "cluster", "postmaster.pid"), "postgres")
            .ExcludeFromManifest();
    }

    static string PrepareDataDirectory(LocalInfrastructureOptions options, string bin)
    {
        var data = Path.Combine(options.DataDirectory, "postgres");
        Directory.CreateDirectory(data);
        OwnForPostgres(data);
        var cluster = Path.Combine(data, "cluster");
        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            var (command, args) = AsPostgresUser(Path.Combine(bin, "initdb"),
                ["-D", cluster, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-instructions"]);
            LocalPackages.Run(command, string.Join(' ', args.Select(a => $"\"{a}\"")));
        }
        return data;
    }

    /// <summary>
    /// Aspire stops an executable with SIGTERM, which PostgreSQL takes as a smart shutdown: it waits for every client
    /// to disconnect, and the services' pooled connections never do, so the stop ends in a SIGKILL that leaves the data
    /// folder locked and the restart failing. A small shell in front turns SIGTERM (and SIGINT) into a fast shutdown
    /// (SIGINT: clients are disconnected, the server stops cleanly) and waits for the server to end. DCP gives a stop
    /// 15 s; under load a fast shutdown can take longer (measured: the restart fault at 2,000 enrolments), so after
    /// <see cref="FastShutdownSeconds"/> the shell asks for an immediate shutdown (SIGQUIT), which ends the server and
    /// leaves the next start to replay the write-ahead log, as after a crash: nothing committed is lost. An immediate
    /// shutdown can itself take seconds on a loaded machine (the server waits for its backends to quit; measured: the
    /// restart at the end of the 40-minute fault suite still passed 15 s with 8 s of fast shutdown), so after
    /// <see cref="ImmediateShutdownSeconds"/> more the shell kills the backends and the server (SIGKILL), the same crash
    /// recovery. The whole stop is bounded by 5 + 4 s, well inside DCP's 15.
    /// </summary>
    public const int FastShutdownSeconds = 5;

    public const int ImmediateShutdownSeconds = 4;

    static (string Command, string[] Args) StoppedFast((string Command, string[] Args) server) =>
        ("bash",
        [
            "-c",
            $$"""
            "$@" & server=$!
            stop() {
              kill -INT "$server" 2>/dev/null
              for ((i = 0; i < {{FastShutdownSeconds * 4}}; i++)); do kill -0 "$server" 2>/dev/null || return; sleep 0.25; done
              echo "postgres-fast-stop: still running {{FastShutdownSeconds}} s after a fast shutdown; asking for an immediate one (the next start replays the log)" >&2
              kill -QUIT "$server" 2>/dev/null
              for ((i = 0; i < {{ImmediateShutdownSeconds * 4}}; i++)); do kill -0 "$server" 2>/dev/null || return; sleep 0.25; done
              echo "postgres-fast-stop: still running {{ImmediateShutdownSeconds}} s after an immediate shutdown; killing its backends and the server" >&2
              for proc in /proc/[0-9]*/status; do
                while read -r key value; do
                  if [ "$key" = "PPid:" ]; then [ "$value" = "$server" ] && kill -KILL "${proc//[!0-9]/}" 2>/dev/null; break; fi
                done < "$proc" 2>/dev/null
              done
              kill -KILL "$server" 2>/dev/null
            }
            trap stop TERM INT
            wait "$server"; status=$?
            while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
            exit "$status"
            """,
            "postgres-fast-stop", server.Command, .. server.Args,
        ]);

    static (string Command, string[] Args) AsPostgresUser(string program, string[] args) =>
        LocalPackages.IsRoot()
            ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. args])
            : (program, args);

    static void OwnForPostgres(string directory)
    {
        if (LocalPackages.IsRoot())
        {
            LocalPackages.Run("chown", $"-R postgres:postgres \"{directory}\"");
            // The postgres user must be able to reach the folder through its parents.
            for (var parent = Path.GetDirectoryName(directory); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
            {
                var mode = File.GetUnixFileMode(parent);
                if (!mode.HasFlag(UnixFileMode.OtherExecute))
                {
                    File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
                }
            }
        }
    }
}

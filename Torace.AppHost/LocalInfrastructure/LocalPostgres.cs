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
        var (command, args) = ConsoleThroughFile.Wrap(Path.Combine(data, "postgres.log"), StoppedFast(data, AsPostgresUser(postgres, serverArgs)));

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
    /// How the server is stopped. Aspire stops an executable with SIGTERM, which PostgreSQL takes as a smart shutdown:
    /// it waits for every client to disconnect, and the services' pooled connections never do. So a small shell (the
    /// keeper) turns the stop into a fast shutdown (SIGINT: clients are disconnected, the server stops cleanly); after
    /// <see cref="FastShutdownSeconds"/> into an immediate one (SIGQUIT: the next start replays the write-ahead log, as
    /// after a crash; nothing committed is lost); after <see cref="ImmediateShutdownSeconds"/> more it kills the
    /// backends and the server (SIGKILL, the same recovery). Measured: a fast shutdown under load can take longer than
    /// 5 s, an immediate one at the end of the 40-minute fault suite 8 s.
    /// <para>
    /// The keeper and the server run outside the process tree that DCP starts. Before it signals anything, DCP's stop
    /// walks that whole tree, every PostgreSQL backend included, and on this 2-core machine under the fault workload the
    /// walk alone took 14 of the 15 s DCP allows a stop (its log: "Stopping run" at :16.7, "Stopping process tree" with
    /// a hundred backends at :30.6); the stop then counted as failed and the resource was left "Unknown". So the shell
    /// that DCP starts only starts the keeper (detached), passes the stop on, and waits for it; its tree is two
    /// processes. The keeper watches that shell and its parent too: if either is killed outright, the keeper stops the
    /// server itself; if the keeper is killed, the shell stops the server. So no server is left behind holding the data
    /// folder. A second stop signal does not start the stop's time budget again.
    /// </para>
    /// </summary>
    public const int FastShutdownSeconds = 5;

    public const int ImmediateShutdownSeconds = 4;

    static (string Command, string[] Args) StoppedFast(string stateDirectory, (string Command, string[] Args) server) =>
        ("bash",
        [
            "-c",
            $$"""
            state=$1; shift
            shell=$$ parent=$PPID keeper= stopping=
            keeper_pid="$state/keeper.$$.pid" server_pid="$state/server.$$.pid" server_exit="$state/server.$$.exit"
            # A stop that comes before the keeper is known is passed on as soon as it is.
            trap 'stopping=1; [ -n "$keeper" ] && kill -TERM "$keeper" 2>/dev/null' TERM INT
            ( (
              "$@" & server=$!
              echo "$server" > "$server_pid"
              stopped=
              stop() {
                [ -n "$stopped" ] && return
                stopped=1
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
              trap stop TERM
              echo "$BASHPID" > "$keeper_pid"
              while kill -0 "$server" 2>/dev/null; do
                if ! { kill -0 "$shell" && kill -0 "$parent"; } 2>/dev/null; then
                  echo "postgres-fast-stop: the shell Aspire started is gone; stopping the server" >&2
                  stop
                fi
                sleep 1 & wait $!
              done
              wait "$server"; echo "$?" > "$server_exit"
            ) & )
            for ((i = 0; i < 600; i++)); do [ -s "$keeper_pid" ] && break; sleep 0.05; done
            keeper=$(cat "$keeper_pid" 2>/dev/null)
            if [ -z "$keeper" ]; then echo "postgres-fast-stop: the keeper did not start within 30 s" >&2; exit 1; fi
            [ -n "$stopping" ] && kill -TERM "$keeper" 2>/dev/null
            while kill -0 "$keeper" 2>/dev/null; do sleep 0.25 & wait $!; done
            if [ ! -s "$server_exit" ] && server=$(cat "$server_pid" 2>/dev/null) && kill -0 "$server" 2>/dev/null; then
              echo "postgres-fast-stop: the keeper was killed; asking its server for an immediate shutdown (the next start replays the log)" >&2
              kill -QUIT "$server" 2>/dev/null
              for ((i = 0; i < 40; i++)); do kill -0 "$server" 2>/dev/null || break; sleep 0.25; done
              kill -KILL "$server" 2>/dev/null
            fi
            status=$(cat "$server_exit" 2>/dev/null || echo 1)
            rm -f "$keeper_pid" "$server_pid" "$server_exit"
            exit "$status"
            """,
            "postgres-fast-stop", stateDirectory, server.Command, .. server.Args,
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

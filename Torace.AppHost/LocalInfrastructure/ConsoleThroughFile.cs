namespace Torace.AppHost.LocalInfrastructure;

/// <summary>
/// Runs a server with its output written to a log file, and the file followed onto the console that Aspire shows.
/// DCP hands an executable pipes for its stdout and stderr; a server that writes to a pipe nobody drains blocks on its
/// next log line, and a blocked PostgreSQL or maildev stops answering. The full-scale fault suite met exactly that:
/// PostgreSQL's output stopped a quarter of an hour before its restart, maildev's inbox timed out, and the stop never
/// reached the server. With the file in between only the follower (<c>tail</c>) can block; the server never does, and
/// its whole log stays on disk beside its data (the previous run's as <c>.previous</c>).
/// </summary>
public static class ConsoleThroughFile
{
    /// <summary>
    /// The command and arguments that run <paramref name="server"/> this way. Aspire's stop (SIGTERM, or SIGINT) is
    /// passed on to the server as SIGTERM (a shell's background job ignores SIGINT), and the wrapper ends with the server's exit code once its last lines are shown.
    /// </summary>
    public static (string Command, string[] Args) Wrap(string logFile, (string Command, string[] Args) server) =>
        ("bash",
        [
            "-c",
            """
            log=$1; shift
            mv -f "$log" "$log.previous" 2>/dev/null
            : > "$log"
            tail --pid=$$ -n +1 -F "$log" 2>/dev/null & follower=$!
            "$@" >> "$log" 2>&1 & server=$!
            trap 'kill -TERM "$server" 2>/dev/null' TERM INT
            wait "$server"; status=$?
            while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
            # A server that ended just as a signal interrupted the wait is reaped here, with its own exit code.
            wait "$server" 2>/dev/null; last=$?; [ "$last" -ne 127 ] && status=$last
            sleep 0.5
            kill "$follower" 2>/dev/null
            exit "$status"
            """,
            "console-through-file", logFile, server.Command, .. server.Args,
        ]);
}

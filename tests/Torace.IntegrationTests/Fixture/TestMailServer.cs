using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Torace.IntegrationTests.Fixture;

/// <summary>
/// A small SMTP server on this machine that answers as a test tells it to, for what the run's mail sink (maildev) cannot
/// do: refuse a recipient for good (550) or say it is busy (451). Speaks enough of RFC 5321 for MailKit (EHLO, MAIL,
/// RCPT, DATA, RSET, NOOP, QUIT) and keeps the messages it accepted.
/// </summary>
public sealed class TestMailServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<(string To, string Data)> accepted = new();
    Task? serving;

    /// <summary>How a recipient is answered: null accepts it, otherwise the reply line (for example "550 5.1.1 No such mailbox").</summary>
    public Func<string, string?> Recipient { get; set; } = _ => null;

    public Uri Address => new($"smtp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    public IReadOnlyList<(string To, string Data)> Accepted => [.. accepted];

    public int AcceptedFor(string address) => accepted.Count(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase));

    public static TestMailServer Start()
    {
        var server = new TestMailServer();
        server.listener.Start();
        server.serving = server.Serve();
        return server;
    }

    async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => Converse(client));
        }
    }

    async Task Converse(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 test-mail ESMTP");
        var recipients = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250-test-mail");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "MAIL":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        var address = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                        if (Recipient(address) is { } refusal)
                        {
                            await writer.WriteLineAsync(refusal);
                        }
                        else
                        {
                            recipients.Add(address);
                            await writer.WriteLineAsync("250 2.1.5 OK");
                        }
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token) is { } body && body != ".")
                        {
                            data.AppendLine(body);
                        }
                        foreach (var to in recipients)
                        {
                            accepted.Enqueue((to, data.ToString()));
                        }
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        break;
                    case "RSET":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        if (serving is not null)
        {
            await serving;
        }
        stop.Dispose();
    }
}

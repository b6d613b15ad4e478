using System.Net;
using System.Net.Sockets;

namespace Torace.Notifications.Webhooks;

/// <summary>
/// Where a webhook may be sent: outside Development only to public addresses, never to this machine, a private network,
/// a link-local address (a cloud's metadata service) or the like. The check runs on every connection, on the address
/// the name resolved to then, so a name that later resolves to a private address is refused too.
/// </summary>
public sealed class WebhookAddresses(bool allowPrivate)
{
    public bool AllowPrivate { get; } = allowPrivate;

    /// <summary>Why an endpoint's address is refused at registration, or null when it may be used (a name is checked when it is connected to).</summary>
    public string? Refusal(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(AllowPrivate && url.Scheme == Uri.UriSchemeHttp))
        {
            return "'url' must be an https address.";
        }
        if (!AllowPrivate && (url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && !IsPublic(address))))
        {
            return "'url' must not be a loopback, private or link-local address.";
        }
        return null;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)       // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                     // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)          // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));   // benchmarking
        }
        var bytes = address.GetAddressBytes();
        // Addresses that carry an IPv4 address inside (NAT64, 6to4, IPv4-compatible) are judged by that address.
        if (bytes.AsSpan(0, 12).SequenceEqual(Nat64) || (bytes[0] == 0x20 && bytes[1] == 0x02) || bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            var inner = bytes[0] == 0x20 && bytes[1] == 0x02 ? bytes.AsSpan(2, 4) : bytes.AsSpan(12, 4);
            return IsPublic(new IPAddress(inner));
        }
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo
            || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b));
    }

    /// <summary>64:ff9b::/96, the well-known NAT64 prefix.</summary>
    static readonly byte[] Nat64 = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Connects to the first address the host resolves to that may be used; refuses when none may.</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = addresses.Where(a => AllowPrivate || IsPublic(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} resolves only to addresses webhooks may not be sent to (loopback, private or link-local).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

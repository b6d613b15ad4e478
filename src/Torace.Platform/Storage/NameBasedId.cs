using System.Security.Cryptography;
using System.Text;

namespace Torace.Platform.Storage;

/// <summary>
/// A Guid derived from a name (RFC 9562 name-based layout over SHA-256): the same name is always the same id, so a
/// stream or row keyed by it is unique without a lock or a look-up.
/// </summary>
public static class NameBasedId
{
    public static Guid From(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

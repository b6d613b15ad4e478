using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace Torace.Scheduling.Operations;

/// <summary>
/// Who may open the Hangfire dashboard (the operators' window on the sweeps): on a developer's machine, any request from
/// the machine itself; anywhere else, only an operator who signs in with HTTP Basic as the configured
/// <c>Operations:DashboardUser</c> and <c>Operations:DashboardPassword</c>. Without a configured password nobody may.
/// </summary>
public sealed class OperatorDashboardAccess(IHostEnvironment environment, IConfiguration configuration) : IDashboardAuthorizationFilter
{
    public const string Realm = "Torace operations";

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var allowed = Allows(environment.IsDevelopment(), IsLocal(http), http.Request.Headers.Authorization.ToString(),
            configuration["Operations:DashboardUser"] ?? "operator", configuration["Operations:DashboardPassword"]);
        if (!allowed && !environment.IsDevelopment())
        {
            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
        }
        return allowed;
    }

    /// <summary>The decision alone, for tests: development and local, or the operator's credentials.</summary>
    public static bool Allows(bool development, bool local, string authorization, string user, string? password)
    {
        if (development)
        {
            return local;
        }
        if (string.IsNullOrEmpty(password) || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string given;
        try
        {
            given = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote
        && (System.Net.IPAddress.IsLoopback(remote) || remote.Equals(http.Connection.LocalIpAddress));
}

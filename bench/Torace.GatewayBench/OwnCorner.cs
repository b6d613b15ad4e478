using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Torace.GatewayBench;

/// <summary>
/// A corner of the running system for a service a bench hosts itself: a database of its own on the system's PostgreSQL
/// and a RabbitMQ virtual host of its own, so what the bench measures and hears is that service's alone.
/// </summary>
public static class OwnCorner
{
    public static async Task CreateDatabase(string postgres, string database, CancellationToken ct)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand($"create database {database}", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Creates the virtual host through the management API (guest/guest, loopback) and lets guest use it.</summary>
    public static async Task CreateVirtualHost(Uri management, string virtualHost, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = management };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        (await http.PutAsync($"api/vhosts/{virtualHost}", null, ct)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{virtualHost}/guest", new { configure = ".*", write = ".*", read = ".*" }, ct)).EnsureSuccessStatusCode();
    }
}

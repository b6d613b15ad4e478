using System.Diagnostics;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Polly;
using Weasel.Core;

namespace Torace.Platform.Storage;

public static class ToraceStore
{
    /// <summary>
    /// Marten for one service: its own database (named after the service unless the connection string
    /// names one), conjoined tenancy for every stream and document, the async daemon in hot/cold mode,
    /// and the outbox subscription that publishes stored events.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddToraceStore(
        this IHostApplicationBuilder builder, string service, Action<StoreOptions> configure)
    {
        builder.AddServiceDatabase(service);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Erasure.PersonalDataEraser>();

        return builder.Services.AddMarten(options =>
            {
                options.DatabaseSchemaName = service;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.Events.TenancyStyle = TenancyStyle.Conjoined;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.UseAdvisoryLockTransaction = true;
                options.Policies.AllDocumentsAreMultiTenanted();
                options.Schema.For<HandledMessage>().Identity(m => m.Id);
                options.Schema.For<Api.IdempotentAnswer>().Identity(a => a.Id);
                // The outbox hears of an append at once instead of at the daemon's next poll.
                options.Events.UseListenNotifyForEventAppends = true;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.ConfigurePolly(polly => polly.AddRetry(DatabaseRetry.Reads()));
                configure(options);
            })
            .UseNpgsqlDataSource()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .BuildSessionsWith<TenantSessionFactory>(ServiceLifetime.Scoped);
    }

    /// <summary>A session for one district, carrying the current trace so the outbox can continue it.</summary>
    public static IDocumentSession OpenTenantSession(this IDocumentStore store, string tenantId)
    {
        var session = store.LightweightSession(tenantId);
        if (Activity.Current?.Id is { } traceParent)
        {
            session.SetHeader(TraceHeader, traceParent);
        }
        return session;
    }

    internal const string TraceHeader = "traceparent";
}

/// <summary>The connection string of the service's own database, for the few libraries that want one (Hangfire).</summary>
public sealed record ServiceDatabaseConnection(string ConnectionString);

/// <summary>Finds or creates the service's own database on the shared PostgreSQL server.</summary>
public static class ServiceDatabase
{
    /// <summary>
    /// The service's own database: created if missing, a pooled data source for it, and a readiness check.
    /// Marten, Hangfire and the gateway's key store all use this one registration.
    /// </summary>
    public static string AddServiceDatabase(this IHostApplicationBuilder builder, string service)
    {
        var connectionString = ConnectionString(builder.Configuration, service);
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [Extensions.ReadyTag]);
        builder.Services.AddSingleton(new ServiceDatabaseConnection(connectionString));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        return connectionString;
    }

    static string ConnectionString(IConfiguration configuration, string service)
    {
        var server = configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured.");
        var csb = new NpgsqlConnectionStringBuilder(server);
        if (string.IsNullOrEmpty(csb.Database))
        {
            csb.Database = service;
        }
        Ensure(csb);
        return csb.ConnectionString;
    }

    static void Ensure(NpgsqlConnectionStringBuilder target)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        connection.Open();
        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.AddWithValue(target.Database!);
        if (exists.ExecuteScalar() is not null)
        {
            return;
        }
        try
        {
            using var create = new NpgsqlCommand($"create database \"{target.Database!.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it first.
        }
    }
}

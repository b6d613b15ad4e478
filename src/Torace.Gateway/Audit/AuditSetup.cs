using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Torace.Gateway.Callers;
using Torace.Gateway.Proxy;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Audit;

/// <summary>One entry of the audit as the API answers it.</summary>
public sealed record PersonalDataReadResponse(
    Guid Id,
    DateTimeOffset At,
    [property: AllowedValues("integrator", "coordinator", "participant", "system")] string Actor,
    string? ActorId,
    string Method,
    string Endpoint,
    int Status,
    IReadOnlyList<string> People)
{
    public static PersonalDataReadResponse From(PersonalDataRead r) => new(r.Id, r.At, r.Actor, r.ActorId, r.Method, r.Endpoint, r.Status, r.People);
}

/// <summary>
/// Every read of personal data through the gateway (the public API and the admin front end, which calls it) is audited:
/// an answer that holds a person (to a read, or to a write that answers with the person's record; JSON, or a CSV export read
/// row by row) is recorded before it goes out, so no read escapes the audit (a read that cannot be recorded answers 503 instead). Answers are
/// held whole while they are searched: the API pages its lists (at most 500 items) and its exports are bounded. <c>GET /api/v1/audit</c> reads it, as JSON pages or CSV, and is audited too.
/// </summary>
public static class AuditSetup
{
    public const string Path = "/api/v1/audit";

    public static IHostApplicationBuilder AddPersonalDataAudit(this IHostApplicationBuilder builder)
    {
        var tokens = builder.Configuration.GetSection(ServiceTokenOptions.Section).Get<ServiceTokenOptions>() ?? new();
        // Its own key, derived from the gateway's signing key: the audit's person keys cannot be matched against anything else.
        var key = HMACSHA256.HashData(tokens.Key().Key, Encoding.UTF8.GetBytes("torace personal data audit"));
        builder.Services.AddSingleton(sp => new PersonalDataAudit(sp.GetRequiredService<NpgsqlDataSource>(), key));
        builder.Services.AddHostedService<AuditSchema>();
        return builder;
    }

    sealed class AuditSchema(PersonalDataAudit audit) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => audit.EnsureSchema(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>In the proxy's pipeline: a successful answer is held, searched for people, recorded if it has any, then sent.</summary>
    public static IReverseProxyApplicationBuilder UsePersonalDataAudit(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (http, next) =>
        {
            if (http.User.Caller() is not { } caller)
            {
                await next();
                return;
            }
            var original = http.Response.Body;
            await using var held = new MemoryStream();
            http.Response.Body = held;
            try
            {
                await next();
            }
            finally
            {
                http.Response.Body = original;
            }
            var status = http.Response.StatusCode;
            var type = http.Response.ContentType ?? "";
            var json = type.Contains("json", StringComparison.OrdinalIgnoreCase);
            if (status is >= 200 and < 300 && held.Length > 0
                && (json || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
                && http.RequestServices.GetRequiredService<PersonalDataAudit>() is var audit
                && audit.PeopleIn(held.GetBuffer().AsMemory(0, (int)held.Length), json) is { Count: > 0 } people)
            {
                try
                {
                    await audit.Append(Entry(caller, http, status, people), http.RequestAborted);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditSetup));
                    if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
                    {
                        // A write has taken effect: refusing its answer would invite a retry that writes again. It is
                        // answered, and the missing entry is logged as an error with whose data it was.
                        log.LogError(e, "The answer to {Method} {Endpoint} held personal data of {People} and could not be audited; it was answered all the same",
                            http.Request.Method, PersonalDataAudit.TemplateOf(http.Request.Path.Value ?? ""), string.Join(' ', people));
                    }
                    else
                    {
                        log.LogError(e, "A read of personal data could not be audited; it was refused");
                        if (http.Response.HasStarted)
                        {
                            // The headers are out already: the answer is cut off rather than given unaudited.
                            http.Abort();
                            return;
                        }
                        http.Response.Clear();
                        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                        http.Response.Headers.RetryAfter = "5";
                        await TypedResults.Problem(statusCode: 503, title: "The read could not be audited, so it was not answered; try again shortly.").ExecuteAsync(http);
                        return;
                    }
                }
            }
            held.Position = 0;
            await held.CopyToAsync(original, http.RequestAborted);
        });
        return proxy;
    }

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet(Path, Read).WithTags("Audit").WithName("ListPersonalDataReads").RequireAuthorization(GatewayCallers.DistrictAdmin)
            .WithSummary("Who read whose personal data, when and through which endpoint, oldest first; by person (an enrolment id, email or external id), actor (its kind or id) and time. format=csv answers the same entries as CSV (all of them, up to 100,000). Reading the audit is audited too.");
        return api;
    }

    static async Task<Results<Ok<Page<PersonalDataReadResponse>>, FileContentHttpResult, ValidationProblem>> Read(
        string? person, string? actor, DateTimeOffset? from, DateTimeOffset? to, string? format, int? limit, string? cursor,
        PersonalDataAudit audit, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation()
            .AtMost(person, "person", 254).AtMost(actor, "actor", 200)
            .Require(from is null || to is null || from < to, "to", "'to' must be after 'from'.")
            .Require(format is null or "json" or "csv", "format", "'format' must be json or csv.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var caller = http.User.Caller()!;
        var people = person is null ? null : audit.KeysOf(person);
        var csv = format == "csv";
        var (reads, total) = await audit.Query(caller.TenantId, people, actor, from, to, csv ? 0 : page.Offset, csv ? 100_000 : page.Limit, ct);
        // Reading the audit is a read of whom it names.
        await audit.Append(Entry(caller, http, StatusCodes.Status200OK, [.. people ?? [], .. reads.SelectMany(r => r.People).Distinct().Take(1_000)]), ct);
        if (csv)
        {
            var text = new StringBuilder("id,at,actor,actorId,method,endpoint,status,people\r\n");
            foreach (var r in reads)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Id},{r.At:O},{r.Actor},{Csv(r.ActorId)},{r.Method},{Csv(r.Endpoint)},{r.Status},{Csv(string.Join(' ', r.People))}\r\n");
            }
            return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv", "personal-data-reads.csv");
        }
        return TypedResults.Ok(page.Answer([.. reads.Select(PersonalDataReadResponse.From)], total, http.Request));
    }

    static PersonalDataRead Entry(Caller caller, HttpContext http, int status, IReadOnlyList<string> people) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, caller.TenantId, caller.Actor, caller.IsParticipant ? caller.EnrolmentId?.ToString() : caller.Subject,
        http.Request.Method, PersonalDataAudit.TemplateOf(http.Request.Path.Value ?? ""), status, people);

    static string Csv(string? value) => value is null ? "" : value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : value;
}

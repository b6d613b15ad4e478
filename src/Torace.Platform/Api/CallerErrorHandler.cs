using System.Text.Json;
using System.Text.RegularExpressions;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Torace.Platform.Storage;

namespace Torace.Platform.Api;

/// <summary>
/// Maps what a caller can cause to a ProblemDetails answer instead of a 500: a body or parameter that does not parse
/// (400 naming the field), an unknown id (404), a caller acting beyond its token (403), a stream changed by someone else
/// meanwhile (409, or 412 against If-Match). And one fault no caller causes but every caller can wait out: the service's
/// database unreachable (a restart, a failover) past the read retries, a 503 with <c>Retry-After</c>.
/// </summary>
public sealed partial class CallerErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Invalid(FieldOf(json), "The request body is not valid JSON for this endpoint.",
                $"'{FieldOf(json)}' does not have the expected JSON type or format."),
            BadHttpRequestException bad when ParameterOf(bad) is { } parameter => Invalid(parameter, "A parameter of the request is not valid.",
                $"'{parameter}' is missing or does not have the expected type or format."),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "The request is malformed.", Detail = bad.Message },
            Rejected { Kind: RejectionKind.Invalid, Field: { } field } invalid => Invalid(field, "A field of the request does not fit the resource as it is.", invalid.Message),
            Rejected { Kind: RejectionKind.NotFound } notFound => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = notFound.Message },
            Rejected { Kind: RejectionKind.Forbidden } forbidden => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = forbidden.Message },
            Rejected { Kind: RejectionKind.PreconditionFailed } stale => new ProblemDetails { Status = StatusCodes.Status412PreconditionFailed, Title = stale.Message },
            Rejected conflict => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = conflict.Message },
            ConcurrencyException or ExistingStreamIdCollisionException or DocumentAlreadyExistsException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Someone else changed this at the same time; reload and try again.",
            },
            _ when DatabaseRetry.LostConnection(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service lost its connection to its database for a moment; send the request again shortly.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static HttpValidationProblemDetails Invalid(string field, string title, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] }) { Status = StatusCodes.Status400BadRequest, Title = title };

    // ASP.NET Core names the parameter it could not bind: Failed to bind parameter "int? limit" from "abc".
    [GeneratedRegex("""parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)"(?: from|\.| was)""")]
    private static partial Regex BoundParameter();

    static string? ParameterOf(BadHttpRequestException bad) =>
        BoundParameter().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value : null;

    static string FieldOf(JsonException json)
    {
        var path = json.Path ?? "$";
        return path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }
}

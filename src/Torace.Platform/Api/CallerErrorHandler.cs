using System.Text.Json;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Torace.Platform.Api;

/// <summary>
/// Maps what a caller can cause to a ProblemDetails answer instead of a 500: a body that does not parse
/// (400 naming the field), a stream changed by someone else meanwhile (409), a caller acting beyond its token (403).
/// </summary>
public sealed class CallerErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [FieldOf(json)] = [$"'{FieldOf(json)}' does not have the expected JSON type or format."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON for this endpoint.",
            },
            Rejected { Kind: RejectionKind.NotFound } notFound => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = notFound.Message },
            Rejected { Kind: RejectionKind.Forbidden } forbidden => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = forbidden.Message },
            Rejected conflict => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = conflict.Message },
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "The request is malformed.", Detail = bad.Message },
            ConcurrencyException or ExistingStreamIdCollisionException or DocumentAlreadyExistsException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Someone else changed this at the same time; reload and try again.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static string FieldOf(JsonException json)
    {
        var path = json.Path ?? "$";
        return path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

}

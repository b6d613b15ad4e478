using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Idempotency;

public static class IdempotentPosts
{
    public const string Header = "Idempotency-Key";
    const int MaxKeyLength = 255;

    public static IHostApplicationBuilder AddIdempotentPosts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<GatewayTransaction>();
        builder.Services.AddSingleton<IdempotentAnswers>();
        builder.Services.AddHostedService<IdempotentAnswersUpkeep>();
        return builder;
    }

    /// <summary>
    /// The POST runs in one <see cref="GatewayTransaction"/> that commits only if it answers below 400, and takes an
    /// <c>Idempotency-Key</c> (DESIGN §12): the first answer is stored per district with the effect; a repeat with the
    /// same key and request within 24 hours gets that answer and does nothing again; the same key with another request
    /// answers 422. <typeparamref name="TRequest"/> is the body that, with the path, makes a request the same.
    /// </summary>
    public static RouteHandlerBuilder Idempotent<TRequest>(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter<IdempotentPost<TRequest>>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity); // the Idempotency-Key parameter comes from the OpenAPI conventions, as on every POST

    internal static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= '!' and <= '~');
}

/// <summary>See <see cref="IdempotentPosts.Idempotent{TRequest}"/>.</summary>
public sealed class IdempotentPost<TRequest>(IdempotentAnswers answers, IOptions<JsonOptions> json) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var sent = http.Request.Headers[IdempotentPosts.Header];
        if (sent.Count > 1 || (sent.Count == 1 && !IdempotentPosts.IsValidKey(sent[0])))
        {
            return new Validation().Require(false, IdempotentPosts.Header,
                $"'{IdempotentPosts.Header}' must be sent once, as 1 to 255 visible ASCII characters.").Problem();
        }
        var key = sent.Count == 1 ? sent[0]! : null;
        var tenant = http.User.Caller().TenantId;
        var fingerprint = Fingerprint(http.Request, context.Arguments.OfType<TRequest>().FirstOrDefault());
        var tx = http.RequestServices.GetRequiredService<GatewayTransaction>();

        if (key is not null && await answers.Claim(tx, tenant, key, fingerprint, ct) is { } earlier)
        {
            return earlier switch
            {
                { Fingerprint: var f } when f != fingerprint => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: $"This {IdempotentPosts.Header} was already used for a different request.",
                    detail: "Send a new key for a new request; repeat a request with its own key and the same body."),
                { Answer: { } first } => first,
                _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: $"The first answer to this {IdempotentPosts.Header} can no longer be read.",
                    detail: "Check whether the first request took effect, then send it again with a new key."),
            };
        }

        var answer = await Capture(http, await next(context));
        if (answer.Status < StatusCodes.Status400BadRequest)
        {
            if (key is not null)
            {
                await answers.Store(tx, tenant, key, answer, ct);
            }
            await tx.Commit(ct);
        }
        // An error answer rolls back: nothing happened, so the same key may be tried again.
        return answer;
    }

    /// <summary>Runs the handler's result into memory, so the answer is stored (and committed) before the caller sees it.</summary>
    static async Task<StoredAnswer> Capture(HttpContext http, object? result)
    {
        if (result is not IResult handled)
        {
            throw new InvalidOperationException("An idempotent POST must answer with an IResult.");
        }
        var body = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await handled.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = body;
        }
        var location = http.Response.Headers.Location;
        return new StoredAnswer(http.Response.StatusCode, location.Count > 0 ? location.ToString() : null, http.Response.ContentType, buffer.ToArray());
    }

    /// <summary>The request as parsed (so whitespace and property order do not make it another), with its method and path.</summary>
    string Fingerprint(HttpRequest request, TRequest? body)
    {
        var text = $"{request.Method} {request.Path}\n{JsonSerializer.Serialize(body, json.Value.SerializerOptions)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

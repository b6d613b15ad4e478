using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Torace.Platform.Api;

namespace Torace.UnitTests.Platform;

/// <summary>A database that cannot be reached is a 503 the caller can wait out, never a 500; anything else keeps its own answer.</summary>
public sealed class CallerErrorHandlerTests
{
    [Fact]
    public async Task A_broken_database_connection_answers_503_with_Retry_After()
    {
        var http = await Handle(new InvalidOperationException("Marten wraps it", new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http?.Response.StatusCode);
        Assert.Equal("5", http!.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task A_database_server_shutting_down_answers_503()
    {
        var http = await Handle(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http?.Response.StatusCode);
    }

    [Fact]
    public async Task A_database_answer_about_the_request_or_a_bug_is_not_called_an_outage()
    {
        Assert.Null(await Handle(new PostgresException("value too long", "ERROR", "ERROR", PostgresErrorCodes.StringDataRightTruncation)));
        Assert.Null(await Handle(new PostgresException("duplicate key value", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.Null(await Handle(new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", PostgresErrorCodes.QueryCanceled)));
        Assert.Null(await Handle(new InvalidOperationException("a bug", new NullReferenceException())));
    }

    /// <summary>The handled response, or null when the handler leaves the fault to the default 500.</summary>
    static async Task<HttpContext?> Handle(Exception fault)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handled = await new CallerErrorHandler(services.GetRequiredService<IProblemDetailsService>()).TryHandleAsync(http, fault, CancellationToken.None);
        return handled ? http : null;
    }
}

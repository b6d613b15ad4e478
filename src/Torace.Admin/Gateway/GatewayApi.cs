using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Tenancy;

namespace Torace.Admin.Gateway;

/// <summary>The key the admin app signs coordinator tokens with (Admin:CoordinatorSigningKey, the gateway holds the same).</summary>
public sealed record CoordinatorSigningKey(SymmetricSecurityKey Key)
{
    public const string Setting = "Admin:CoordinatorSigningKey";
}

/// <summary>What the gateway answered when it was not a success: its status and the ProblemDetails' title and detail.</summary>
public sealed class GatewayProblem(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The public API as the signed-in coordinator: every call carries a two-minute coordinator token for the user of this
/// page's circuit, so the gateway and the services see the coordinator (their district, user id and role), never a
/// district-wide key. The admin app has no other way into the system.
/// </summary>
public sealed class GatewayApi(HttpClient http, AuthenticationStateProvider authentication, CoordinatorSigningKey key, TimeProvider clock)
{

    public Task<Page<ProgramItem>> Programs(string? status, int limit, CancellationToken ct) =>
        Get<Page<ProgramItem>>($"/api/v1/programs?limit={limit}" + (status is null ? "" : $"&status={Uri.EscapeDataString(status)}"), ct);

    async Task<T> Get<T>(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CoordinatorTokenFor(ct));
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemAnswer>(ct).ConfigureAwait(false);
            throw new GatewayProblem(response.StatusCode, problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? response.StatusCode.ToString());
        }
        return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new GatewayProblem(response.StatusCode, "The gateway answered nothing.");
    }

    async Task<string> CoordinatorTokenFor(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var district = user.FindFirstValue(ServiceToken.TenantClaim);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(district) || string.IsNullOrEmpty(id))
        {
            throw new GatewayProblem(HttpStatusCode.Unauthorized, "Sign in again: this page has no signed-in coordinator.");
        }
        var role = user.IsInRole(CoordinatorToken.DistrictAdmin) ? CoordinatorToken.DistrictAdmin : CoordinatorToken.Coordinator;
        return CoordinatorToken.Issue(key.Key, district, id, role, clock.GetUtcNow());
    }

    sealed record ProblemAnswer(string? Title, string? Detail);
}

public static class GatewayApiSetup
{
    /// <summary>The gateway by service discovery (the AppHost's reference), or Admin:GatewayUrl when set.</summary>
    public static IHostApplicationBuilder AddGatewayApi(this IHostApplicationBuilder builder)
    {
        // Read now: a missing or short key stops start-up instead of the first page.
        builder.Services.AddSingleton(new CoordinatorSigningKey(CoordinatorToken.Key(builder.Configuration[CoordinatorSigningKey.Setting], CoordinatorSigningKey.Setting)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<GatewayApi>(client => client.BaseAddress = new Uri(builder.Configuration["Admin:GatewayUrl"] ?? "https+http://gateway"));
        return builder;
    }
}

/// <summary>One page of a list as the public API answers it.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, long? Total);

/// <summary>A program as the programs list shows it (the fields of the API's ProgramResponse it needs).</summary>
public sealed record ProgramItem(Guid Id, string Status, string Name, string Kind, string Topic, IReadOnlyList<ProgramSession> Sessions, int Mentors, int Mentees, DateTimeOffset CreatedAt)
{
    public DateTimeOffset? FirstSession => Sessions.Select(s => s.StartsAt).Where(s => s is not null).Min();
}

public sealed record ProgramSession(int Number, string Modality, DateTimeOffset? StartsAt);

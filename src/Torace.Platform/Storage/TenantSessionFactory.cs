using Marten;
using Microsoft.AspNetCore.Http;
using Torace.Platform.Tenancy;

namespace Torace.Platform.Storage;

/// <summary>
/// Sessions injected into endpoints belong to the district named in the caller's service token, so no
/// handler can forget the tenant filter.
/// </summary>
public sealed class TenantSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(Tenant());

    /// <summary>A session whose appended events name the caller in their <c>actor</c> header, so a timeline can say who did it.</summary>
    public IDocumentSession OpenSession()
    {
        var session = store.OpenTenantSession(Tenant());
        if (http.HttpContext?.User.FindCaller() is { } caller)
        {
            var who = caller.IsParticipant ? caller.EnrolmentId?.ToString() : caller.Subject;
            session.SetHeader(ActorHeader, who is null ? caller.Actor : $"{caller.Actor}:{who}");
        }
        return session;
    }

    /// <summary>The event header naming who caused an event: <c>integrator:{apiKeyId}</c>, <c>coordinator:{user}</c>, <c>participant:{enrolment}</c>, <c>system</c>.</summary>
    public const string ActorHeader = "actor";

    string Tenant() => http.HttpContext?.User.TenantId()
        ?? throw new InvalidOperationException("A district session was requested outside an authenticated request.");
}

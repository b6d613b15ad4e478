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

    public IDocumentSession OpenSession() => store.OpenTenantSession(Tenant());

    string Tenant() => http.HttpContext?.User.TenantId()
        ?? throw new InvalidOperationException("A district session was requested outside an authenticated request.");
}

using System.Net;
using Microsoft.AspNetCore.Components;
using Torace.Participate.Components;
using Torace.Participate.Gateway;

namespace Torace.Participate.Actions;

/// <summary>
/// A page for one participant action, opened as <c>/{action}?token=…</c>. It asks the gateway what the token allows
/// (a changed, expired or foreign link is refused there, and the page says which), loads what the action is about, and
/// either shows its form or what became of it. Every change goes through the gateway as the link's participant.
/// </summary>
public abstract class ActionPage : ComponentBase
{
    [SupplyParameterFromQuery(Name = "token")]
    public string? Token { get; set; }

    [Inject]
    protected ParticipantGateway Gateway { get; set; } = default!;

    [CascadingParameter]
    HttpContext? Http { get; set; }

    /// <summary>The one action this page takes (a <see cref="Torace.Platform.Tenancy.ParticipantActions"/> name).</summary>
    protected abstract string Action { get; }

    protected LinkInfo? Link { get; private set; }

    /// <summary>The district's name, colour and logo (Torace's own when the district has set none, or it cannot be read now).</summary>
    protected BrandView? Brand { get; private set; }

    /// <summary>What the link acts on (a <see cref="Torace.Platform.Tenancy.LinkTargets"/> path): set once the link is checked.</summary>
    protected string Target => Link?.Target ?? "";

    /// <summary>Set when the page shows an outcome instead of its form.</summary>
    protected Outcome? Outcome { get; set; }

    /// <summary>Why the API refused the form just sent (its 400's field errors).</summary>
    protected IReadOnlyList<string> Problems { get; private set; } = [];

    protected CancellationToken Aborted => Http?.RequestAborted ?? CancellationToken.None;

    protected override async Task OnInitializedAsync()
    {
        if (string.IsNullOrWhiteSpace(Token))
        {
            Show(Outcome.Refused("This page opens only from the link in your email, and this address has no link in it."));
            return;
        }
        try
        {
            Link = await Gateway.Link(Token, Aborted);
            Brand = await BrandOf(Token);
            if (Link.Action != Action || Link.Target is null)
            {
                Show(Outcome.Refused("This link is for something else than this page."));
                return;
            }
            await Load();
        }
        catch (GatewayRefusal refusal)
        {
            Show(Outcome.From(refusal));
        }
    }

    async Task<BrandView?> BrandOf(string token)
    {
        try
        {
            return await Gateway.Brand(token, Aborted);
        }
        catch (GatewayRefusal)
        {
            return null; // the page works in Torace's colours
        }
    }

    /// <summary>Loads what the action is about; may set <see cref="Outcome"/> (already done, for example).</summary>
    protected abstract Task Load();

    /// <summary>Takes the action through the gateway: done shows <paramref name="done"/>; a 400 keeps the form with the API's words.</summary>
    protected async Task Act(Func<string, Task> action, Outcome done)
    {
        if (Outcome is not null || Token is null)
        {
            return;
        }
        try
        {
            await action(Token);
            Show(done);
        }
        catch (GatewayRefusal refusal) when (refusal.Status == HttpStatusCode.BadRequest)
        {
            Problems = refusal.Errors.Count > 0 ? [.. refusal.Errors.SelectMany(e => e.Value)] : [refusal.Message];
            Http?.Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (GatewayRefusal refusal)
        {
            Show(Outcome.From(refusal));
        }
    }

    protected void Show(Outcome outcome)
    {
        Outcome = outcome;
        // The page is rendered before anything is sent, so its status can still say what happened.
        if (Http is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = outcome.Status;
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.Admin.Gateway;
using Torace.Programs.Templates;

namespace Torace.UnitTests.Admin;

/// <summary>One request the admin sent the gateway: method and path, the headers the tests look at, and the body.</summary>
public sealed record Recorded(string Line, string? IdempotencyKey, string? Authorization, string? IfMatch, JsonElement? Body, string? Text = null);

/// <summary>
/// The gateway as the admin's pages see it: records every request and answers from the routes a test gives, else with
/// the public API's answers for the few calls every page makes (the templates, creating and opening a program).
/// </summary>
public sealed class RecordingGateway : HttpMessageHandler
{
    public static readonly Guid ProgramId = Guid.Parse("5a1d6c1e-0000-4000-8000-000000000001");

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    readonly List<(string Line, Func<Recorded, HttpResponseMessage> Answer)> routes = [];

    public List<Recorded> Requests { get; } = [];

    /// <summary>The district's guides the templates carry.</summary>
    public DistrictGuides Guides { get; set; } = DistrictGuides.None;

    /// <summary>Answers requests whose "METHOD /path" starts with <paramref name="line"/>; the latest route given wins.</summary>
    public RecordingGateway On(string line, Func<Recorded, HttpResponseMessage> answer)
    {
        routes.Insert(0, (line, answer));
        return this;
    }

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK, string? etag = null)
    {
        var answer = new HttpResponseMessage(status) { Content = JsonContent.Create(body, body.GetType(), options: Web) };
        if (etag is not null)
        {
            answer.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue(etag);
        }
        return answer;
    }

    /// <summary>A ProblemDetails answer as the API gives it, with each field's errors.</summary>
    public static HttpResponseMessage Problem(HttpStatusCode status, string detail, Dictionary<string, string[]>? errors = null) =>
        new(status) { Content = JsonContent.Create(new { title = "Refused", status = (int)status, detail, errors }, options: Web) };

    /// <summary>The templates as GET /program-templates answers them: the Programs service's one list, with the district's guides.</summary>
    public static IReadOnlyList<ProgramTemplateItem> TemplatesWith(DistrictGuides guides) =>
        JsonSerializer.Deserialize<List<ProgramTemplateItem>>(
            JsonSerializer.Serialize(ProgramTemplates.All.Select(t => ProgramTemplateResponse.From(t, guides)), Web), Web)!;

    public static ProgramTemplateItem Template(string id, DistrictGuides? guides = null) => TemplatesWith(guides ?? DistrictGuides.None).Single(t => t.Id == id);

    /// <summary>A program as the API answers it.</summary>
    public static ProgramItem Program(string status = "draft", bool enrolmentOpen = false, string? cancellationReason = null) => new(
        ProgramId, status, "Lesson planning pairs", "topic-intervention", "lesson planning",
        [new ProgramSession(1, "virtual", new DateTimeOffset(2027, 1, 12, 21, 30, 0, TimeSpan.Zero)), new ProgramSession(2, "virtual", new DateTimeOffset(2027, 1, 26, 21, 30, 0, TimeSpan.Zero))],
        1, true, true, new ProgramMessage("Bring one lesson plan.", "https://example.org/guides/two"), 1, 1, DateTimeOffset.UtcNow,
        "two-session", enrolmentOpen, cancellationReason, [new ProgramTouchpoint(1, "action-steps", 7)], new ProgramPool("other", MentorRoles: ["instructional coach"], Exclusions: [new ProgramExcludedPair("HR-1", "HR-2")], NoRepeatPairing: true),
        new ProgramMatching("manual", 1, "batch", new Dictionary<string, int> { ["topic"] = 8 }), 45);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var recorded = new Recorded(
            $"{request.Method} {request.RequestUri!.AbsolutePath}",
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("If-Match", out var tags) ? tags.Single() : null,
            request.Content?.Headers.ContentType?.MediaType == "application/json" ? await request.Content.ReadFromJsonAsync<JsonElement>(ct) : null,
            request.Content is null ? null : await request.Content.ReadAsStringAsync(ct));
        Requests.Add(recorded);
        if (routes.FirstOrDefault(r => recorded.Line.StartsWith(r.Line, StringComparison.Ordinal)) is { Answer: { } answer })
        {
            return answer(recorded);
        }
        return recorded.Line switch
        {
            "GET /api/v1/program-templates" => Json(new { items = TemplatesWith(Guides), next = (string?)null, total = ProgramTemplates.All.Count }),
            "POST /api/v1/programs" => Json(Program(), HttpStatusCode.Created, "\"1\""),
            _ when recorded.Line.EndsWith("/open", StringComparison.Ordinal) => Json(Program("open", enrolmentOpen: true)),
            _ => Problem(HttpStatusCode.NotFound, $"No route for {recorded.Line} in this test."),
        };
    }
}

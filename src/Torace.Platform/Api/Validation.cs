using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Torace.Platform.Api;

/// <summary>Collects field errors in the shape of a 400 ValidationProblem (field name → messages).</summary>
public sealed class Validation
{
    readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public Validation Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }
        return this;
    }

    public Validation RequireText(string? value, string field, int maxLength = 200) =>
        Require(!string.IsNullOrWhiteSpace(value), field, $"'{field}' is required.")
            .Require(value is null || value.Length <= maxLength, field, $"'{field}' must be at most {maxLength} characters.");

    /// <summary>An optional text: absent, or at most <paramref name="maxLength"/> characters.</summary>
    public Validation AtMost(string? value, string field, int maxLength) =>
        Require(value is null || value.Length <= maxLength, field, $"'{field}' must be at most {maxLength} characters.");

    public Validation RequireOneOf(string? value, string field, IReadOnlyCollection<string> allowed) =>
        Require(value is not null && allowed.Contains(value), field, $"'{field}' must be one of: {string.Join(", ", allowed)}.");

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    public ValidationProblem Problem() =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

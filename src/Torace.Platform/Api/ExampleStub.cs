using Microsoft.AspNetCore.Builder;

namespace Torace.Platform.Api;

// Placeholder until the OpenAPI conventions land from the edge branch (merged away then).
public static class ExampleStub
{
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, object example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ExampleMetadata(example));

    public sealed record ExampleMetadata(object Example);
}

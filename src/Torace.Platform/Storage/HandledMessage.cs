namespace Torace.Platform.Storage;

/// <summary>Inbox row: a consumer handled this message, written in the same transaction as its effect.</summary>
public sealed record HandledMessage(string Id, DateTimeOffset HandledAt);

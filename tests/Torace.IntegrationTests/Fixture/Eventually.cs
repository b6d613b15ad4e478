namespace Torace.IntegrationTests.Fixture;

/// <summary>Waits for an asynchronous outcome (events crossing the broker), failing with the last value seen.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, string what, int seconds = 60)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        T last = default!;
        while (!timeout.IsCancellationRequested)
        {
            last = await probe(timeout.Token);
            if (done(last))
            {
                return last;
            }
            try
            {
                await Task.Delay(250, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        var seen = last is global::System.Text.Json.JsonElement { ValueKind: global::System.Text.Json.JsonValueKind.Undefined }
            ? "nothing"
            : global::System.Text.Json.JsonSerializer.Serialize(last);
        throw new TimeoutException($"Waited {seconds}s for {what}; last seen: {seen}");
    }
}

namespace Portal.Testing;

/// <summary>
/// Waits for what an event changes a moment later (a delivery, a sample, a metric export): checks
/// the condition every <c>every</c> until it holds, and fails with the state it last saw after
/// <c>within</c>. Not a retry of the action under test: the action ran once, before.
/// </summary>
public static class Eventually
{
    public static Task TrueAsync(
        Func<bool> condition, TimeSpan? within = null, Func<string>? state = null, TimeSpan? every = null) =>
        TrueAsync(
            () => Task.FromResult(condition()), within, state is null ? null : () => Task.FromResult(state()), every);

    public static async Task TrueAsync(
        Func<Task<bool>> condition, TimeSpan? within = null, Func<Task<string>>? state = null, TimeSpan? every = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
                throw new TimeoutException("Not so in time" + (state is null ? "." : $": {await state()}."));
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
    }
}

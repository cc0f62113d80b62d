using Microsoft.Extensions.Hosting;

namespace Portal.Messaging;

/// <summary>
/// Background work done at a fixed interval, recording no trace, until the host stops; a failed pass is reported and
/// the next one comes anyway.
/// </summary>
public static class Housekeeping
{
    public static async Task EveryAsync(
        TimeSpan interval, string what, Func<CancellationToken, Task> pass, Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                using (Unrecorded.Begin(what))
                    await pass(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }
        }
        while (await NextAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Messaging;

/// <summary>One piece of <see cref="Housekeeping"/>: a service's pass, run at a fixed interval.</summary>
public sealed partial class HousekeepingService(
    string what, TimeSpan interval, Func<CancellationToken, Task> pass, ILogger<HousekeepingService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(interval, what, pass, ex => LogFailed(ex, what), stoppingToken);

    [LoggerMessage(LogLevel.Warning, "Housekeeping ({What}) failed; the next pass tries again")]
    private partial void LogFailed(Exception ex, string what);
}

public static class HousekeepingExtensions
{
    /// <summary>
    /// Runs <paramref name="pass"/> of <typeparamref name="TService"/> every <paramref name="interval"/>.
    /// </summary>
    public static IServiceCollection AddHousekeeping<TService>(
        this IServiceCollection services, string what, TimeSpan interval, Func<TService, CancellationToken, Task> pass)
        where TService : notnull =>
        services.AddSingleton<IHostedService>(sp => new HousekeepingService(what, interval,
            ct => pass(sp.GetRequiredService<TService>(), ct), sp.GetRequiredService<ILogger<HousekeepingService>>()));
}

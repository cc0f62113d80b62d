using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// What a service reports at /health (the service defaults' JSON) is what the AppHost, and so the dashboard, shows.
/// </summary>
public sealed class ServiceHealthTests
{
    [Theory]
    [InlineData("Healthy")]
    [InlineData("Degraded")]
    [InlineData("Unhealthy")]
    public async Task The_AppHost_reads_the_status_a_service_reports_and_why(string reported)
    {
        var status = Enum.Parse<HealthStatus>(reported);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy())
            .AddCheck("backlog", () => new HealthCheckResult(status, "3 events wait in the outbox"));
        await using var app = builder.Build();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync });
        await app.StartAsync();
        var address = new Uri(
            app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var seen = await ServiceHealthExtensions.ReadAsync(new Uri(address, "/health"), CancellationToken.None);

        Assert.Equal(status, seen.Status);
        if (status != HealthStatus.Healthy)
            Assert.Equal("backlog: 3 events wait in the outbox", seen.Description);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_unhealthy()
    {
        // Bound but not listening: the port stays ours, and a call to it is refused.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var seen = await ServiceHealthExtensions.ReadAsync(
            new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}/health"), CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, seen.Status);
    }
}

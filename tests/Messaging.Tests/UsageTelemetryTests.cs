using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Portal.Messaging.Tests;

[Collection(BrokerCollection.Name)]
public sealed class UsageTelemetryTests(BrokerFixture servers) : ProbeTest(servers)
{
    [Fact]
    public async Task MassTransit_reports_no_usage_to_its_vendor()
    {
        await StartAsync();

        Assert.False(Host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}

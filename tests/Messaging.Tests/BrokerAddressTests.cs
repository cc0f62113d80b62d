using Xunit;

namespace Portal.Messaging.Tests;

public sealed class BrokerAddressTests
{
    [Fact]
    public void One_node_reads_as_an_AMQP_URI()
    {
        var address = BrokerAddress.Parse("amqp://tickets:s%40cret@127.0.0.1:5679");

        Assert.Equal("tickets", address.Account);
        Assert.Equal("s@cret", address.Password);
        Assert.Equal("/", address.VirtualHost);
        Assert.Equal(["127.0.0.1:5679"], address.HostPorts);
    }

    [Fact]
    public void A_cluster_names_every_node_with_one_account()
    {
        var address = BrokerAddress.Parse("amqp://notifications:pw@127.0.0.1:5672,127.0.0.1:5673,broker-3/portal");

        Assert.Equal("notifications", address.Account);
        Assert.Equal("pw", address.Password);
        Assert.Equal("portal", address.VirtualHost);
        Assert.Equal(["127.0.0.1:5672", "127.0.0.1:5673", "broker-3:5672"], address.HostPorts);
    }

    [Theory]
    [InlineData("127.0.0.1:5672")]
    [InlineData("amqp://user:pw@/")]
    public void A_string_without_a_node_is_refused(string connectionString) =>
        Assert.Throws<FormatException>(() => BrokerAddress.Parse(connectionString));
}

using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Portal.Contracts;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Portal.Deploy.Tests;

/// <summary>
/// The broker accounts of the Kubernetes deployment (RabbitMQ's User and Permission objects) are the AppHost's:
/// one per <c>AddAccount</c> in AppHost/AppHost.cs, with the regular expressions <see cref="BrokerPermissions"/>
/// computes for it, so that a change of who publishes or consumes what cannot reach one and miss the other.
/// </summary>
public sealed partial class BrokerPermissionTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Each_broker_account_has_exactly_the_permissions_the_AppHost_computes(string overlay)
    {
        var expected = AppHostAccounts()
            .Select(a => Describe(a.Account, BrokerPermissions.For(a.Account, a.Consumes)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var objects = Render(overlay);
        var permissions = objects.Where(o => Text(o, "kind") == "Permission")
            .Select(o => Describe(Text(o, "spec", "user") ?? "(no spec.user)", new BrokerPermissions(
                Text(o, "spec", "permissions", "configure") ?? "",
                Text(o, "spec", "permissions", "write") ?? "",
                Text(o, "spec", "permissions", "read") ?? "")) + $" on vhost {Text(o, "spec", "vhost")}")
            .Order(StringComparer.Ordinal)
            .ToList();

        AssertSame(expected.Select(e => e + " on vhost /").ToList(), permissions);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Each_broker_account_is_a_user_whose_credentials_come_from_its_own_secret(string overlay)
    {
        var expected = AppHostAccounts().Select(a => $"portal-broker-{a.Account}").Order(StringComparer.Ordinal);
        var users = Render(overlay).Where(o => Text(o, "kind") == "User")
            .Select(o => Text(o, "spec", "importCredentialsSecret", "name") ?? "(generated credentials)")
            .Order(StringComparer.Ordinal);

        AssertSame(expected.ToList(), users.ToList());
    }

    // Whole lines, not xUnit's elided diff: the expressions are long and the failure is read to fix the manifest.
    private static void AssertSame(List<string> expected, List<string> actual) =>
        Assert.True(expected.SequenceEqual(actual),
            $"Expected:\n  {string.Join("\n  ", expected)}\nRendered:\n  {string.Join("\n  ", actual)}");

    private static string Describe(string account, BrokerPermissions permissions) =>
        $"{account}: configure {permissions.Configure} write {permissions.Write} read {permissions.Read}";

    /// <summary>The <c>rabbitmq.AddAccount("name", typeof(Event), ...)</c> calls of the AppHost's source.</summary>
    private static List<(string Account, Type[] Consumes)> AppHostAccounts()
    {
        var source = File.ReadAllText(Path.Combine(Portal.Testing.RepositoryRoot.Path, "AppHost", "AppHost.cs"));
        var accounts = AddAccount().Matches(source)
            .Select(m => (m.Groups["account"].Value, TypeOf().Matches(m.Groups["consumes"].Value)
                .Select(t => typeof(IPortalEvent).Assembly.GetType($"Portal.Contracts.{t.Groups["type"].Value}")
                    ?? throw new InvalidOperationException($"No event {t.Groups["type"].Value} in Portal.Contracts."))
                .ToArray()))
            .ToList();
        Assert.True(accounts.Count > 0, "AppHost/AppHost.cs declares no broker account (AddAccount): read it anew.");
        return accounts;
    }

    private static List<YamlMappingNode> Render(string overlay)
    {
        var result = Tool.Run(Tool.Kubectl, "kustomize", Path.Combine("deploy", "k8s", "overlays", overlay));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {overlay} failed:\n{result}");
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Output));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(key, out var child))
                return null;
            node = child;
        }
        return (node as YamlScalarNode)?.Value;
    }

    [GeneratedRegex("""\.AddAccount\(\s*"(?<account>[^"]+)"(?<consumes>(?:\s*,\s*typeof\(\s*\w+\s*\))*)\s*\)""")]
    private static partial Regex AddAccount();

    [GeneratedRegex("""typeof\(\s*(?<type>\w+)\s*\)""")]
    private static partial Regex TypeOf();
}

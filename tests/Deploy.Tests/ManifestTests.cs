using Xunit;

namespace Portal.Deploy.Tests;

/// <summary>
/// Each overlay of deploy/k8s rendered with kubectl's kustomize and every object checked offline against its
/// schema and Portal's deployment rules, by deploy/k8s/validate.mjs (which says what it checks).
/// </summary>
public sealed class ManifestTests
{
    [Fact]
    public void The_dev_overlay_renders_to_valid_objects_that_keep_the_deployment_rules() => AssertValid("dev");

    [Fact]
    public void The_prod_overlay_renders_to_valid_objects_that_keep_the_deployment_rules() => AssertValid("prod");

    private static void AssertValid(string overlay)
    {
        var result = Tool.Run("node", Path.Combine("deploy", "k8s", "validate.mjs"), overlay);
        Assert.True(result.ExitCode == 0, $"deploy/k8s/validate.mjs {overlay} failed:\n{result}");
    }
}

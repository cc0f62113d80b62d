namespace Aspire.Hosting;

/// <summary>
/// One part of Portal (a service, the gateway, the web front end) run as one or more instances of its
/// project. Every instance listens on the part's one port, shared through <c>SO_REUSEPORT</c>
/// (<c>Hosting:SharedPort</c>), so callers keep one address, reach it with no proxy in between, and reach
/// only the instances that are alive; each instance also has an address of its own (endpoint
/// <c>instance</c>) for its health. The first instance carries the part's name, the others <c>name-2</c>...
/// </summary>
public sealed class PortalProject
{
    public const string InstanceEndpointName = "instance";

    private PortalProject(string name, IReadOnlyList<IResourceBuilder<ProjectResource>> instances)
    {
        Name = name;
        Instances = instances;
    }

    public string Name { get; }

    /// <summary>What the other parts reference: its address is every instance's.</summary>
    public IResourceBuilder<ProjectResource> Resource => Instances[0];

    public IReadOnlyList<IResourceBuilder<ProjectResource>> Instances { get; }

    public EndpointReference Endpoint => Resource.GetEndpoint("http");

    public PortalProject Each(Action<IResourceBuilder<ProjectResource>> configure)
    {
        foreach (var instance in Instances)
            configure(instance);
        return this;
    }

    internal static PortalProject Add<TProject>(
        IDistributedApplicationBuilder builder, string name, int instances, int port)
        where TProject : IProjectMetadata, new()
    {
        var all = Enumerable.Range(1, instances).Select(i =>
        {
            var project = builder.AddProject<TProject>(i == 1 ? name : $"{name}-{i}")
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
                .WithHttpEndpoint(port: port, isProxied: false);
            if (instances > 1)
            {
                project.WithHttpEndpoint(
                        port: Portal.AppHost.FreePort.Next(), name: InstanceEndpointName, isProxied: false)
                    .WithEnvironment("Hosting__SharedPort", "true");
            }
            return project;
        }).ToList();
        return new PortalProject(name, all);
    }
}

public static class PortalProjectExtensions
{
    /// <summary>
    /// The part <paramref name="name"/>, <paramref name="instances"/> times, on <paramref name="port"/>
    /// (see <see cref="PortalProject"/>).
    /// </summary>
    public static PortalProject AddPortalProject<TProject>(
        this IDistributedApplicationBuilder builder, string name, int instances, int port)
        where TProject : IProjectMetadata, new() =>
        PortalProject.Add<TProject>(builder, name, instances, port);
}

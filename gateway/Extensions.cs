using Portal.Messaging;
using Scalar.AspNetCore;

namespace Portal.Gateway;

public static class Extensions
{
    /// <summary>
    /// The gateway's services: Kestrel's limits, rate limits, CORS, health of every service, and YARP.
    /// </summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        // The gateway publishes nothing: the bus only brings it revoked tokens.
        builder.AddPortalMessaging("gateway", outbox: false);
        var limits = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection("Gateway"));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = (int)limits.MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate =
                new(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);
            // Each route sets its own (appsettings.json, ReverseProxy:Routes:*:Metadata:BodyLimit,
            // FrontDoor.EnforceBodyLimit); this is for everything else.
            kestrel.Limits.MaxRequestBodySize = 256 * 1024;
        });
        builder.Services.AddPortalRateLimits(limits);
        // The gateway's health includes its view of every service: asked once, quickly, without retries.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(ServicesHealthCheck.ClientName, http => http.Timeout = TimeSpan.FromSeconds(3))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddHealthChecks().AddCheck<ServicesHealthCheck>("services");
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(limits.AllowedOrigins)
            .WithMethods("GET", "POST", "PUT")
            .WithHeaders("Authorization", "Content-Type", "Last-Event-ID")
            .WithExposedHeaders("Location", "Retry-After", "Content-Disposition", "ETag", "Link")));
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(FrontDoor.StripInternalHeaders)
            .AddTransforms(FrontDoor.ForwardClientAddress);
    }

    /// <summary>The proxied routes, the API's own 404, and the API and event references.</summary>
    public static WebApplication MapGatewayEndpoints(this WebApplication app)
    {
        app.MapReverseProxy(proxy => proxy.Use(FrontDoor.EnforceBodyLimit));
        // An /api path no service answers is the API's 404, not the web app's page.
        app.Map("/api/{**rest}", () => Problems.NotFound());

        // The API reference over the services' own documents (/openapi/<service>.json, proxied above), and the events'.
        app.MapScalarApiReference("/api/docs", options => options
            .WithTitle("Portal — API")
            .AddDocuments("access", "tickets", "attachments", "notifications")
            .AddPreferredSecuritySchemes("Bearer")).AllowAnonymous();
        app.MapGet("/asyncapi.yaml", () =>
                TypedResults.PhysicalFile(Path.Combine(AppContext.BaseDirectory, "asyncapi.yaml"), "application/yaml"))
            .AllowAnonymous();
        return app;
    }
}

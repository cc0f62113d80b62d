using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Portal.Database;
using Portal.Web.Api;
using Portal.Web.Data;

namespace Portal.Web;

public static class Extensions
{
    /// <summary>
    /// The web front end's services: Blazor, server-side sessions and drafts in its own database, the live updates,
    /// and the public API through the gateway.
    /// </summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        // A message of the longest allowed length in emoji is ~120 KB on the circuit (JSON escapes each as
        // two \uXXXX): SignalR's default 32 KB would drop the connection while the person types.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 256 * 1024);
        builder.AddPortalDatabase("web-db", typeof(Extensions).Assembly);
        builder.Services.AddSingleton<DatabaseKeyRepository>();
        builder.Services.AddDataProtection().SetApplicationName("portal-web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseKeyRepository>((options, keys) => options.XmlRepository = keys);
        builder.Services.AddSingleton<ServerSessionStore>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSessionStore>(SessionEndpoints.Configure);
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddScoped<UserSession>();
        builder.Services.AddScoped<LiveUpdates>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddOptions<ServiceContact>().BindConfiguration("Contact");
        // The public API, through the gateway, like any other front end. No automatic retries: a POST
        // (a new thread, a message, an upload from a one-way stream) must never be sent twice.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<PortalApi>(http =>
                http.BaseAddress = new Uri(builder.Configuration["Portal:ApiUrl"] ?? "http://gateway"))
            .FromSourceAddress(builder.Configuration["Portal:SourceAddress"])
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}

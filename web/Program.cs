using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Portal.Web;
using Portal.Web.Api;
using Portal.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(apiAuthentication: false);
// A message of the longest allowed length in emoji is ~120 KB on the circuit (JSON escapes each as
// two \uXXXX): SignalR's default 32 KB would drop the connection while the person types.
builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 256 * 1024);
builder.Services.AddSingleton<ServerSessionStore>();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
    .Configure<ServerSessionStore>(SessionEndpoints.Configure);
builder.Services.AddAuthorization();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();
builder.Services.AddScoped<UserSession>();
builder.Services.AddScoped<LiveUpdates>();
builder.Services.AddSingleton<DraftStore>();
builder.Services.AddOptions<ServiceContact>().BindConfiguration("Contact");
// The public API, through the gateway, like any other front end. No automatic retries: a POST
// (a new thread, a message, an upload from a one-way stream) must never be sent twice.
#pragma warning disable EXTEXP0001
builder.Services.AddHttpClient<PortalApi>(http => http.BaseAddress = new Uri(builder.Configuration["Portal:ApiUrl"] ?? "http://gateway"))
    .FromSourceAddress(builder.Configuration["Portal:SourceAddress"])
    .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

var app = builder.Build();

// Behind the gateway (loopback by default: ForwardedHeadersOptions.KnownProxies): the browser's address and scheme.
app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
app.UseExceptionHandler("/erreur", createScopeForErrors: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.MapPost("/deconnexion", async (HttpContext context, ClaimsPrincipal principal, PortalApi api) =>
{
    // The token stops working everywhere, not only in this browser; an already dead one needs nothing more.
    if (SignedInUser.From(principal) is { } user)
    {
        try
        {
            await api.RevokeAsync(user.Token, context.RequestAborted);
        }
        catch (Exception ex) when (ex is SessionExpiredException or ApiProblemException or HttpRequestException)
        {
        }
    }
    await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    return Results.LocalRedirect("/connexion");
});

// Files pass through the web app, so that the token stays on the server.
app.MapGet("/fichiers/{id:guid}", async (Guid id, ClaimsPrincipal principal, PortalApi api, HttpContext context) =>
{
    if (SignedInUser.From(principal) is not { } user)
        return Results.Challenge();
    var response = await api.DownloadAsync(user.Token, id, context.RequestAborted);
    context.Response.RegisterForDispose(response);
    if (!response.IsSuccessStatusCode)
        return Results.NotFound();
    var disposition = response.Content.Headers.ContentDisposition?.ToString();
    if (disposition is not null)
        context.Response.Headers.ContentDisposition = disposition;
    context.Response.Headers.XContentTypeOptions = "nosniff";
    return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted),
        response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
}).RequireAuthorization();

app.Run();

public partial class Program;

using Microsoft.AspNetCore.HttpOverrides;
using Portal.Web;
using Portal.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(apiAuthentication: false);
builder.AddApplicationServices();

var app = builder.Build();

// Behind the gateway (loopback by default: ForwardedHeadersOptions.KnownProxies): the browser's address and scheme.
app.UseForwardedHeaders(new ForwardedHeadersOptions
{
    ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
});
app.UseExceptionHandler("/erreur", createScopeForErrors: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapWebEndpoints();

app.Run();

public partial class Program;

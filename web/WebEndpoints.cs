using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.Web.Api;

namespace Portal.Web;

/// <summary>The plain HTTP endpoints beside the pages: signing out, and files passed on to the browser.</summary>
public static class WebEndpoints
{
    public static WebApplication MapWebEndpoints(this WebApplication app)
    {
        app.MapPost("/deconnexion", SignOutAsync);
        app.MapGet("/fichiers/{id:guid}", DownloadAsync).RequireAuthorization();
        app.MapGet("/echanges/{id:guid}/consultations.csv", ReadsCsvAsync).RequireAuthorization();
        return app;
    }

    // The token stops working everywhere, not only in this browser; an already dead one needs nothing more.
    private static async Task<IResult> SignOutAsync(HttpContext context, ClaimsPrincipal principal, PortalApi api)
    {
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
    }

    // Files pass through the web app, so that the token stays on the server.
    private static Task<IResult> DownloadAsync(
        Guid id, ClaimsPrincipal principal, PortalApi api, HttpContext context) =>
        PassOnAsync(principal, context, token => api.DownloadAsync(token, id, context.RequestAborted));

    private static Task<IResult> ReadsCsvAsync(
        Guid id, ClaimsPrincipal principal, PortalApi api, HttpContext context) =>
        PassOnAsync(principal, context, token => api.ReadsCsvAsync(token, id, context.RequestAborted));

    // The API's answer streamed to the browser with its type and file name; any refusal is a plain 404 here.
    private static async Task<IResult> PassOnAsync(
        ClaimsPrincipal principal, HttpContext context, Func<string, Task<HttpResponseMessage>> call)
    {
        if (SignedInUser.From(principal) is not { } user)
            return Results.Challenge();
        var response = await call(user.Token);
        context.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
            return Results.NotFound();
        var disposition = response.Content.Headers.ContentDisposition?.ToString();
        if (disposition is not null)
            context.Response.Headers.ContentDisposition = disposition;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted),
            response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
    }
}

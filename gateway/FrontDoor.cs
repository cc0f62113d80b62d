using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms.Builder;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>What the gateway adds to every answer and removes from every request on the way in.</summary>
public static class FrontDoor
{
    // Headers only the gateway or the services may set: a client sending them is ignored.
    private static readonly string[] InternalHeaders = ["Forwarded", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-URL", "X-Rewrite-URL"];
    private static readonly string[] InternalPrefixes = ["X-Portal-", "X-Internal-"];

    public static bool IsInternal(string header) =>
        InternalHeaders.Contains(header, StringComparer.OrdinalIgnoreCase)
        || InternalPrefixes.Any(prefix => header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    public static void StripInternalHeaders(TransformBuilderContext builder) =>
        builder.AddRequestTransform(transform =>
        {
            foreach (var name in transform.ProxyRequest.Headers.Select(h => h.Key).Where(IsInternal).ToList())
                transform.ProxyRequest.Headers.Remove(name);
            return ValueTask.CompletedTask;
        });

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.Server = default; // a service's own, copied by the proxy
                return Task.CompletedTask;
            });
            return next();
        });

    /// <summary>
    /// A body announced larger than the route allows is refused at once, before a byte of it is
    /// read; one that grows past it while streaming is cut off by Kestrel, and the client hears 413 too.
    /// </summary>
    public static async Task EnforceBodyLimit(HttpContext context, Func<Task> next)
    {
        var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize;
        if (limit is > 0 && context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit.Value);
            return;
        }
        await next();
        if (!context.Response.HasStarted && context.GetForwarderErrorFeature()?.Exception is { } error
            && (error as BadHttpRequestException ?? error.InnerException as BadHttpRequestException) is { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await TooLargeAsync(context, limit ?? 0);
        }
    }

    private static ValueTask TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = $"Le contenu envoyé dépasse la taille permise ({limit / 1024} Kio).",
                Extensions = { ["code"] = "request.too_large" },
            },
        });
    }
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms.Builder;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>What the gateway adds to every answer and removes from every request on the way in.</summary>
public static class FrontDoor
{
    // Headers only the gateway or the services may set: a client sending them is ignored.
    private static readonly string[] InternalHeaders =
        ["Forwarded", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-URL", "X-Rewrite-URL"];
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

    /// <summary>
    /// The services hear, in <c>X-Forwarded-For</c>, the one client address the gateway believes
    /// (<see cref="RateLimits.ClientAddress"/>): never a chain a client wrote itself.
    /// </summary>
    public static void ForwardClientAddress(TransformBuilderContext builder)
    {
        builder.UseDefaultForwarders = false;
        builder.AddXForwardedProto();
        builder.AddXForwardedHost();
        builder.AddXForwardedPrefix();
        builder.AddRequestTransform(transform =>
        {
            var limits = transform.HttpContext.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            transform.ProxyRequest.Headers.Remove("X-Forwarded-For");
            transform.ProxyRequest.Headers.TryAddWithoutValidation(
                "X-Forwarded-For", RateLimits.ClientAddress(transform.HttpContext, limits));
            return ValueTask.CompletedTask;
        });
    }

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
    /// forwarded; one that grows past it while streaming (chunked) is cut off at the limit. Either
    /// way the client hears 413, even one that writes its whole body before reading: like nginx's
    /// lingering close, Kestrel reads and drops the rest after the answer (for at most 5 s), as long
    /// as the rest stays under its own limit, raised here by <see cref="GatewayOptions.MaxBodyDrainBytes"/>.
    /// Past that, the connection is closed.
    /// </summary>
    public static async Task EnforceBodyLimit(HttpContext context, Func<Task> next)
    {
        // The route's limit (ReverseProxy:Routes:*:Metadata:BodyLimit) is enforced here rather than
        // by Kestrel, whose refusal would leave the rest of the body unread and the connection reset.
        if (context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(BodyLimitKey) is not { } value
            || !long.TryParse(value, out var limit)
            || context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } bodySize)
        {
            await next();
            return;
        }
        var drain = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxBodyDrainBytes;
        bodySize.MaxRequestBodySize = limit + drain;
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }

        if (context.Request.ContentLength is null)
            context.Request.Body = new LimitedBody(context.Request.Body, limit);
        await next();
        if (!context.Response.HasStarted && context.GetForwarderErrorFeature()?.Exception is { } error
            && IsTooLarge(error))
        {
            await TooLargeAsync(context, limit);
        }
    }

    public const string BodyLimitKey = "BodyLimit";

    private static bool IsTooLarge(Exception error) => error switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => true,
        AggregateException all => all.InnerExceptions.Any(IsTooLarge),
        _ => error.InnerException is { } inner && IsTooLarge(inner),
    };

    private static Task TooLargeAsync(HttpContext context, long limit)
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
                Detail = $"Le contenu envoyé dépasse la taille permise ({limit / 1024} Kio). "
                    + $"Envoyez un contenu plus court ou un fichier plus petit.",
                Extensions = { ["code"] = "request.too_large" },
            },
        }).AsTask();
    }
}

using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.ServiceDefaults;

/// <summary>
/// Calls made on a person's behalf carry that person's own token, taken from the request being
/// served: the called service decides what they may see (a service's own calls use
/// <see cref="ServiceIdentity"/> instead).
/// </summary>
public static class CallerToken
{
    public static IHttpClientBuilder AddCallerToken(this IHttpClientBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<Handler>();
        return builder.AddHttpMessageHandler<Handler>();
    }

    private sealed class Handler(IHttpContextAccessor context) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (AuthenticationHeaderValue.TryParse(context.HttpContext?.Request.Headers.Authorization, out var header))
                request.Headers.Authorization = header;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

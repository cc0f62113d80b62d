using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.ServiceDefaults;

/// <summary>
/// Every error leaves as <c>application/problem+json</c> with a stable machine-readable <c>code</c>
/// (API.md, "Errors"): a handler's own code when it set one, else one derived from the status.
/// </summary>
public static class ProblemDetailsExtensions
{
    public static IServiceCollection AddPortalProblemDetails(this IServiceCollection services)
    {
        // A request the server refuses while reading it (body too large, too slow) keeps its own status; a database
        // that cannot be reached for now (restarting, failing over) is a 503 the caller may retry, not our bug.
        services.Configure<ExceptionHandlerOptions>(options =>
            options.StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when IsTransient(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            });
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions.Remove("traceId");
            problem.Extensions.TryAdd("code", DefaultCode(problem.Status ?? context.HttpContext.Response.StatusCode));
            // A handler's detail is already French; the framework's own answers (a body it could not read) get one too.
            problem.Detail ??= DefaultDetail(problem.Status ?? context.HttpContext.Response.StatusCode);
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
                context.HttpContext.Response.Headers.RetryAfter = "5";
        });
    }

    private static bool IsTransient(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is System.Data.Common.DbException { IsTransient: true })
                return true;
        }
        return false;
    }

    public static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest =>
            "La requête est invalide : un champ manque, est mal formé ou contient un caractère non autorisé.",
        StatusCodes.Status401Unauthorized =>
            "Vous n'êtes pas connecté, ou votre session a expiré : reconnectez-vous.",
        StatusCodes.Status403Forbidden => "Vous n'avez pas le droit de faire cette action.",
        StatusCodes.Status404NotFound => "Cette ressource n'existe pas.",
        StatusCodes.Status405MethodNotAllowed => "Cette action n'est pas possible ici.",
        StatusCodes.Status409Conflict => "L'état actuel ne permet pas cette action.",
        StatusCodes.Status413PayloadTooLarge => "L'envoi dépasse la taille autorisée.",
        StatusCodes.Status415UnsupportedMediaType => "Ce type de contenu n'est pas accepté.",
        StatusCodes.Status429TooManyRequests =>
            "Trop de demandes en peu de temps : patientez un instant avant de réessayer.",
        StatusCodes.Status503ServiceUnavailable =>
            "Le service est momentanément indisponible : réessayez dans un instant.",
        _ when status >= 500 => "Une erreur est survenue de notre côté : réessayez dans un instant.",
        _ => "La demande n'a pas pu aboutir.",
    };

    public static string DefaultCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "request.invalid",
        StatusCodes.Status401Unauthorized => "auth.unauthenticated",
        StatusCodes.Status403Forbidden => "auth.forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "request.method_not_allowed",
        StatusCodes.Status409Conflict => "state.conflict",
        StatusCodes.Status413PayloadTooLarge => "request.too_large",
        StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status503ServiceUnavailable => "server.unavailable",
        _ when status >= 500 => "server.error",
        _ => "request.failed",
    };
}

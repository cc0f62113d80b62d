using System.Net;

namespace Portal.Web.Api;

/// <summary>
/// What a person reads when a call fails, always in French and always saying what to do: the
/// API's own <c>detail</c> when it gave one (every Portal service answers in French), otherwise a
/// sentence for the kind of failure, with the wait the service asked for.
/// </summary>
public static class ApiError
{
    public const string Unreachable =
        "Le service est momentanément injoignable : vérifiez votre connexion, puis réessayez dans un instant.";

    public const string TooSlow = "Le service met trop de temps à répondre : réessayez dans un instant.";

    public static string Describe(HttpStatusCode status, string? detail, TimeSpan? retryAfter)
    {
        var code = (int)status;
        if (!string.IsNullOrWhiteSpace(detail))
            return code == 429 && retryAfter is { } given
                    && !detail.Contains("réessayez", StringComparison.OrdinalIgnoreCase)
                ? $"{detail} Réessayez dans {Format.Wait(given)}."
                : detail;
        return code switch
        {
            429 => $"Trop de demandes en peu de temps : réessayez dans "
                + $"{Format.Wait(retryAfter ?? TimeSpan.FromSeconds(5))}.",
            413 => "L'envoi est trop volumineux : raccourcissez le message ou choisissez un fichier plus petit "
                + "(20 Mo au plus).",
            403 => "Vous n'avez pas le droit de faire cette action.",
            404 => "Cet élément n'existe pas ou plus : revenez à la liste des échanges.",
            409 => "L'échange a changé entre-temps : rechargez la page.",
            503 => "Le service est momentanément indisponible : réessayez dans un instant.",
            >= 500 => "Une erreur est survenue de notre côté : réessayez dans un instant. "
                + "Si elle persiste, contactez PÔLE SANTÉ TRAVAIL.",
            _ => "La demande n'a pas pu aboutir : vérifiez ce que vous avez saisi, puis réessayez.",
        };
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

public sealed record ContentCheckRequest(string? Text);

public sealed record ContentCheckResult(IReadOnlyList<ContentWarning> Warnings);

public static class ContentCheckApi
{
    public static IEndpointRouteBuilder MapContentCheckApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/content-check", Check);
        return app;
    }

    /// <summary>
    /// What in a text looks like personal or medical data, with positions (UTF-16), for the form to warn before
    /// sending.
    /// </summary>
    public static Results<Ok<ContentCheckResult>, ValidationProblem> Check(
        ContentCheckRequest request, IOptions<TicketOptions> options)
    {
        if (request.Text is null)
            return Problems.Validation("content_check.text_required", "text", "Indiquez le texte à vérifier.");
        if (request.Text.Length > options.Value.MaxBodyLength)
            return Problems.Validation("content_check.text_too_long", "text",
                $"Le texte dépasse {options.Value.MaxBodyLength} caractères.");
        return TypedResults.Ok(new ContentCheckResult(SensitiveContent.Find(request.Text)));
    }
}

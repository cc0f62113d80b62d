using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.ServiceDefaults;

/// <summary>Problem answers with their stable <c>code</c>, for endpoint handlers.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    // The same answer whether the thing does not exist or the caller may not see it.
    public static ProblemHttpResult NotFound(string what = "resource") =>
        Of(StatusCodes.Status404NotFound, "not_found", what switch
        {
            "ticket" => "Cette demande n'existe pas.",
            "attachment" => "Ce document n'existe pas.",
            "company" => "Cette entreprise n'existe pas.",
            "user" => "Cet utilisateur n'existe pas.",
            "notification" => "Cette notification n'existe pas.",
            "template" => "Ce modèle de réponse n'existe pas.",
            _ => ProblemDetailsExtensions.DefaultDetail(StatusCodes.Status404NotFound),
        });

    /// <summary>A person of a member company asking for what only the service's staff may do.</summary>
    public static ProblemHttpResult StaffOnly() =>
        Of(StatusCodes.Status403Forbidden, "auth.staff_only", "Réservé au personnel du service.");

    /// <summary>A 400 naming each wrong field; its <c>code</c> and <c>detail</c> are the first error's.</summary>
    public static ValidationProblem Validation(IReadOnlyList<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: errors[0].Message,
            extensions: new Dictionary<string, object?> { ["code"] = errors[0].Code });

    public static ValidationProblem Validation(string code, string field, string message) =>
        Validation([new FieldError(code, field, message)]);
}

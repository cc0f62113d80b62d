using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Microsoft.Extensions.Hosting;

/// <summary>Problem answers with their stable <c>code</c>, for endpoint handlers.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult NotFound(string what = "resource") =>
        Of(StatusCodes.Status404NotFound, "not_found", $"The {what} does not exist.");

    public static ValidationProblem Validation(string code, string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}

using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Access.Data;

namespace Portal.Access.Apis;

public static class DirectoryApi
{
    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/companies");
        api.MapGet("/", GetCompaniesAsync);
        api.MapGet("/{companyId:guid}/users", GetCompanyUsersAsync);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<CompanySummary>>, ProblemHttpResult>> GetCompaniesAsync(
        ClaimsPrincipal user, DirectoryStore directory)
    {
        if (!user.IsStaff())
            return Problems.Of(StatusCodes.Status403Forbidden, "auth.staff_only", "Réservé au personnel du service.");
        return TypedResults.Ok(await directory.CompaniesAsync());
    }

    // A member asking for another company learns nothing, not even that it exists.
    public static async Task<Results<Ok<IReadOnlyList<CompanyUser>>, ProblemHttpResult>> GetCompanyUsersAsync(
        Guid companyId, ClaimsPrincipal user, DirectoryStore directory)
    {
        if (!user.IsStaff() && user.CompanyIdOf() != companyId)
            return Problems.NotFound("company");
        if (user.IsStaff() && !await directory.CompanyExistsAsync(companyId))
            return Problems.NotFound("company");
        return TypedResults.Ok(await directory.CompanyUsersAsync(companyId));
    }
}

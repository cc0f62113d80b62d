using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Access.Data;
using Portal.Access.Tokens;

namespace Portal.Access.Apis;

public static class DirectoryApi
{
    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/companies");
        api.MapGet("/", GetCompaniesAsync);
        api.MapGet("/{companyId:guid}/users", GetCompanyUsersAsync);
        api.MapPost("/{companyId:guid}/users/{userId:guid}/deactivate", DeactivateAsync);
        api.MapPost("/{companyId:guid}/users/{userId:guid}/reactivate", ReactivateAsync);
        app.MapGet("/api/staff", GetStaffAsync);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<CompanySummary>>, ProblemHttpResult>> GetCompaniesAsync(
        ClaimsPrincipal user, DirectoryStore directory, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        return TypedResults.Ok(await directory.CompaniesAsync(ct));
    }

    /// <summary>The service's staff with their teams: whom a thread can be assigned to.</summary>
    public static async Task<Results<Ok<IReadOnlyList<StaffMember>>, ProblemHttpResult>> GetStaffAsync(
        ClaimsPrincipal user, DirectoryStore directory, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        return TypedResults.Ok(await directory.StaffAsync(ct));
    }

    // A member asking for another company learns nothing, not even that it exists.
    public static async Task<Results<Ok<IReadOnlyList<CompanyUser>>, ProblemHttpResult>> GetCompanyUsersAsync(
        Guid companyId, ClaimsPrincipal user, DirectoryStore directory, CancellationToken ct)
    {
        if (!user.IsStaff() && user.CompanyIdOf() != companyId)
            return Problems.NotFound("company");
        if (user.IsStaff() && !await directory.CompanyExistsAsync(companyId, ct))
            return Problems.NotFound("company");
        return TypedResults.Ok(await directory.CompanyUsersAsync(companyId, ct));
    }

    /// <summary>
    /// The person can no longer sign in, their tokens stop working, nobody notifies them; they stay listed, inactive.
    /// </summary>
    public static Task<Results<NoContent, ProblemHttpResult>> DeactivateAsync(
        Guid companyId, Guid userId, ClaimsPrincipal user, DirectoryStore directory,
        IOptions<AccessTokenOptions> options, CancellationToken ct) =>
        SetActiveAsync(companyId, userId, active: false, user, directory, options, ct);

    public static Task<Results<NoContent, ProblemHttpResult>> ReactivateAsync(
        Guid companyId, Guid userId, ClaimsPrincipal user, DirectoryStore directory,
        IOptions<AccessTokenOptions> options, CancellationToken ct) =>
        SetActiveAsync(companyId, userId, active: true, user, directory, options, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetActiveAsync(
        Guid companyId, Guid userId, bool active, ClaimsPrincipal user, DirectoryStore directory,
        IOptions<AccessTokenOptions> options, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        return await directory.SetActiveAsync(companyId, userId, active, options.Value.Lifetime, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("user");
    }
}

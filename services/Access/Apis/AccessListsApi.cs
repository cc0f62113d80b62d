using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Contracts;

namespace Portal.Access.Apis;

public sealed record AccessUser(Guid Id, string DisplayName);

public sealed record AccessListResponse(string Mode, IReadOnlyList<AccessUser> Users, Guid CreatorId, long Version);

public sealed record AccessHistoryResponse(DateTime At, Guid By, object? Before, object After);

/// <summary>What Tickets registers before it accepts a new thread, so the list exists once the thread does.</summary>
public sealed record AccessRegistration(Guid TicketId, Guid CompanyId, Guid CreatorId, string Mode, IReadOnlyList<Guid> UserIds);

public static class AccessListsApi
{
    public static IEndpointRouteBuilder MapAccessListsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tickets/{ticketId:guid}/access");
        api.MapGet("/", GetAsync);
        api.MapPut("/", ChangeAsync);
        api.MapGet("/history", GetHistoryAsync);

        // Service to service only: the gateway routes nothing under /internal.
        app.MapPost("/internal/ticket-access", RegisterAsync);
        return app;
    }

    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult>> GetAsync(
        Guid ticketId, ClaimsPrincipal user, AccessListStore lists, DirectoryStore directory, CancellationToken ct)
    {
        var list = await lists.FindAsync(ticketId, ct);
        if (list is null || !list.CanSee(Viewer.From(user)))
            return Problems.NotFound("ticket");
        return TypedResults.Ok(await DescribeAsync(list, directory));
    }

    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        Guid ticketId, AccessRequest request, ClaimsPrincipal user, AccessListStore lists, DirectoryStore directory, CancellationToken ct)
    {
        var viewer = Viewer.From(user);
        var current = await lists.FindAsync(ticketId, ct);
        if (current is null || !current.CanSee(viewer))
            return Problems.NotFound("ticket");

        var companyUsers = (await directory.CompanyUsersAsync(current.CompanyId)).Select(u => u.Id).ToHashSet();
        if (request.Validate(current.CompanyId, companyUsers) is { } error)
            return Problems.Validation(error.Code, error.Field, error.Message);

        var changed = await lists.ChangeAsync(ticketId, viewer.UserId, list =>
            list.CanSee(viewer) ? list.ChangedTo(request.Mode!, request.UserIds ?? [], companyUsers.Contains(list.CreatorId)) : null, ct);
        return changed is null ? Problems.NotFound("ticket") : TypedResults.Ok(await DescribeAsync(changed, directory));
    }

    public static async Task<Results<Ok<IEnumerable<AccessHistoryResponse>>, ProblemHttpResult>> GetHistoryAsync(
        Guid ticketId, ClaimsPrincipal user, AccessListStore lists, CancellationToken ct)
    {
        var list = await lists.FindAsync(ticketId, ct);
        if (list is null || !list.CanSee(Viewer.From(user)))
            return Problems.NotFound("ticket");
        var history = await lists.HistoryAsync(ticketId, ct);
        return TypedResults.Ok(history.Select(h => new AccessHistoryResponse(h.At, h.By, h.Before, h.After)));
    }

    /// <summary>
    /// Version 1 of a new thread's list, idempotent (the <see cref="TicketOpened"/> event stores the
    /// same list if this call never arrived). Only the thread's creator may register it, for their
    /// own company unless staff, and only users of that company can be listed.
    /// </summary>
    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult, ValidationProblem>> RegisterAsync(
        AccessRegistration registration, ClaimsPrincipal user, AccessListStore lists, DirectoryStore directory, CancellationToken ct)
    {
        var viewer = Viewer.From(user);
        if (registration.CreatorId != viewer.UserId || (!viewer.IsStaff && registration.CompanyId != viewer.CompanyId))
            return Problems.Of(StatusCodes.Status403Forbidden, "access.not_creator", "Only the creator registers a thread's access list.");

        if (!await directory.CompanyExistsAsync(registration.CompanyId))
            return Problems.Validation("ticket.company_unknown", "companyId", "Cette entreprise n'existe pas.");
        var companyUsers = (await directory.CompanyUsersAsync(registration.CompanyId)).Select(u => u.Id).ToHashSet();
        if (new AccessRequest(registration.Mode, registration.UserIds).Validate(registration.CompanyId, companyUsers) is { } error)
            return Problems.Validation(error.Code, error.Field, error.Message);

        var list = AccessList.Initial(registration.TicketId, registration.CompanyId, registration.CreatorId,
            creatorIsMember: !viewer.IsStaff, registration.Mode, registration.UserIds);
        await lists.RegisterAsync(list, viewer.UserId, ct);
        var stored = await lists.FindAsync(registration.TicketId, ct);
        return TypedResults.Ok(await DescribeAsync(stored!, directory));
    }

    private static async Task<AccessListResponse> DescribeAsync(AccessList list, DirectoryStore directory)
    {
        IReadOnlyList<AccessUser> users;
        if (list.Mode == VisibilityModes.Company)
        {
            users = (await directory.CompanyUsersAsync(list.CompanyId)).Select(u => new AccessUser(u.Id, u.DisplayName)).ToList();
        }
        else
        {
            var names = await directory.DisplayNamesAsync(list.UserIds);
            users = list.UserIds.Where(names.ContainsKey).Select(id => new AccessUser(id, names[id])).ToList();
        }
        return new AccessListResponse(list.Mode, users, list.CreatorId, list.Version);
    }
}

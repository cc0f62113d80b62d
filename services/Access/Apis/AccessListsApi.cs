using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Contracts;

namespace Portal.Access.Apis;

public sealed record AccessUser(Guid Id, string DisplayName, bool Active);

public sealed record AccessListResponse(string Mode, IReadOnlyList<AccessUser> Users, Guid CreatorId, long Version);

public sealed record AccessHistoryResponse(DateTime At, Guid By, object? Before, object After);

/// <summary>What Tickets registers before it accepts a new thread, so the list exists once the thread does.</summary>
public sealed record AccessRegistration(
    Guid TicketId,
    Guid CompanyId,
    Guid CreatorId,
    string Mode,
    IReadOnlyList<Guid> UserIds);

public static class AccessListsApi
{
    public static IEndpointRouteBuilder MapAccessListsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tickets/{ticketId:guid}/access");
        api.MapGet("/", GetAsync);
        api.MapPut("/", ChangeAsync);
        api.MapGet("/history", GetHistoryAsync);

        // Service to service only (the gateway routes nothing under /internal), on Tickets' own token.
        app.MapPost("/internal/ticket-access", RegisterAsync).RequireService("tickets");
        return app;
    }

    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult>> GetAsync(
        Guid ticketId, ClaimsPrincipal user, AccessListStore lists, DirectoryStore directory, CancellationToken ct)
    {
        var list = await lists.FindAsync(ticketId, ct);
        if (list is null || !list.CanSee(PortalUser.From(user)))
            return Problems.NotFound("ticket");
        return TypedResults.Ok(await DescribeAsync(list, directory, ct));
    }

    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        Guid ticketId, AccessRequest request, ClaimsPrincipal user, AccessListStore lists, DirectoryStore directory,
        CancellationToken ct)
    {
        var viewer = PortalUser.From(user);
        var current = await lists.FindAsync(ticketId, ct);
        if (current is null || !current.CanSee(viewer))
            return Problems.NotFound("ticket");

        var companyUsers = (await directory.CompanyUsersAsync(current.CompanyId, ct)).Select(u => u.Id).ToHashSet();
        if (request.Validate(current.CompanyId, companyUsers) is { Count: > 0 } errors)
            return Problems.Validation(errors);

        var changed = await lists.ChangeAsync(ticketId, viewer.UserId, list =>
            list.CanSee(viewer)
                ? list.ChangedTo(request.Mode!, request.UserIds ?? [], companyUsers.Contains(list.CreatorId))
                : null, ct);
        return changed is null
            ? Problems.NotFound("ticket")
            : TypedResults.Ok(await DescribeAsync(changed, directory, ct));
    }

    /// <summary>
    /// The list's changes, oldest first, a page at a time: the answer stays an array, and a
    /// <c>Link: rel="next"</c> header gives the next page when there is one.
    /// </summary>
    public static async Task<Results<Ok<IEnumerable<AccessHistoryResponse>>, ProblemHttpResult, ValidationProblem>>
        GetHistoryAsync(
            Guid ticketId, int? limit, string? cursor, HttpContext context, ClaimsPrincipal user, AccessListStore lists,
            CancellationToken ct)
    {
        if (limit is < 1 or > 100)
            return Problems.Validation("access.limit_invalid", "limit", "limit doit être compris entre 1 et 100.");
        long after = 0;
        if (cursor is not null
            && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            return Problems.Validation("access.cursor_invalid", "cursor", "Curseur invalide.");
        var list = await lists.FindAsync(ticketId, ct);
        if (list is null || !list.CanSee(PortalUser.From(user)))
            return Problems.NotFound("ticket");
        var size = limit ?? 50;
        var history = await lists.HistoryAsync(ticketId, after, size + 1, ct);
        if (history.Count > size)
        {
            history = history.Take(size).ToList();
            context.Response.Headers.Link =
                $"</api/tickets/{ticketId}/access/history?limit={size}&cursor={history[^1].Id}>; rel=\"next\"";
        }
        return TypedResults.Ok(history.Select(h => new AccessHistoryResponse(h.At, h.By, h.Before, h.After)));
    }

    /// <summary>
    /// Version 1 of a new thread's list, registered by Tickets before it accepts the thread (the
    /// <see cref="TicketOpened"/> event stores the same list if this call never arrived). The creator
    /// must exist and, unless staff, belong to the thread's company; only users of that company can be
    /// listed. Registering the same list again answers the same; any other list for a thread that has
    /// one is a conflict that tells nothing about the stored list.
    /// </summary>
    public static async Task<Results<Ok<AccessListResponse>, ProblemHttpResult, ValidationProblem>> RegisterAsync(
        AccessRegistration registration, AccessListStore lists, DirectoryStore directory, CancellationToken ct)
    {
        var creator = await directory.FindUserAsync(registration.CreatorId, ct);
        if (creator is null || (!creator.IsStaff && creator.CompanyId != registration.CompanyId))
            return Problems.Validation(
                "access.creator_unknown", "creatorId", "Ce créateur n'existe pas dans cette entreprise.");
        if (!await directory.CompanyExistsAsync(registration.CompanyId, ct))
            return Problems.Validation("ticket.company_unknown", "companyId", "Cette entreprise n'existe pas.");
        var companyUsers = (await directory.CompanyUsersAsync(registration.CompanyId, ct))
            .Select(u => u.Id)
            .ToHashSet();
        if (new AccessRequest(registration.Mode, registration.UserIds).Validate(registration.CompanyId, companyUsers)
            is { Count: > 0 } errors)
            return Problems.Validation(errors);

        var list = AccessList.Initial(registration.TicketId, registration.CompanyId, registration.CreatorId,
            creatorIsMember: !creator.IsStaff, registration.Mode, registration.UserIds);
        if (!await lists.RegisterAsync(list, registration.CreatorId, ct)
            && (await lists.FindAsync(registration.TicketId, ct) is not { } stored || !list.IsSameAs(stored)))
            return Problems.Of(StatusCodes.Status409Conflict, "access.already_registered",
                "Cette demande a déjà une liste d'accès.");
        return TypedResults.Ok(await DescribeAsync(list, directory, ct));
    }

    private static async Task<AccessListResponse> DescribeAsync(
        AccessList list, DirectoryStore directory, CancellationToken ct)
    {
        IReadOnlyList<AccessUser> users;
        if (list.Mode == VisibilityModes.Company)
        {
            users = (await directory.CompanyUsersAsync(list.CompanyId, ct))
                .Select(u => new AccessUser(u.Id, u.DisplayName, u.Active))
                .ToList();
        }
        else
        {
            var names = await directory.DisplayNamesAsync(list.UserIds, ct);
            users = list.UserIds.Where(names.ContainsKey)
                .Select(id => new AccessUser(id, names[id].DisplayName, names[id].Active))
                .ToList();
        }
        return new AccessListResponse(list.Mode, users, list.CreatorId, list.Version);
    }
}

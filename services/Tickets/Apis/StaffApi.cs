using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

/// <summary>The staff console's routing and figures (docs/API.md, « Staff console »); members get 403.</summary>
public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/teams", GetTeams);
        app.MapPut("/api/tickets/{ticketId:guid}/assignment", AssignAsync);
        app.MapGet("/api/service-stats", GetStatsAsync);
        return app;
    }

    public static Results<Ok<IReadOnlyList<Team>>, ProblemHttpResult> GetTeams(ClaimsPrincipal user, Teams teams) =>
        user.IsStaff() ? TypedResults.Ok(teams.All) : Problems.StaffOnly();

    /// <summary>
    /// Routes a thread to a team and to one of its staff (or to nobody of it yet); the assignee is told.
    /// </summary>
    public static async Task<Results<Ok<ThreadView>, ProblemHttpResult, ValidationProblem>> AssignAsync(
        Guid ticketId, AssignmentRequest request, ClaimsPrincipal user, Teams teams, TicketStore tickets,
        AccessClient access, IOptions<TicketOptions> options, CancellationToken ct)
    {
        var actor = PortalUser.From(user);
        if (!actor.IsStaff)
            return Problems.StaffOnly();
        var errors = request.Validate(teams);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        StaffMember? assignee = null;
        if (request.AssigneeId is { } assigneeId)
        {
            assignee = (await access.StaffAsync(ct)).FirstOrDefault(s => s.Id == assigneeId);
            if (assignee is null || !assignee.Active || !assignee.Teams.Contains(request.Team!))
                return Problems.Validation("assignment.assignee_not_in_team", "assigneeId",
                    "Choisissez une personne de cette équipe.");
        }
        var outcome = await tickets.AssignAsync(ticketId, actor, request.Team!, assignee, ct);
        if (outcome == TicketStore.AssignOutcome.NotFound)
            return Problems.NotFound("ticket");
        var detail = await tickets.FindAsync(ticketId, actor, options.Value.ThreadPageSize, before: null, ct);
        return TypedResults.Ok(ThreadView.From(detail!, actor, await access.GetAsync(ticketId, ct)));
    }

    public static async Task<Results<Ok<ServiceStatsView>, ProblemHttpResult, ValidationProblem>> GetStatsAsync(
        ClaimsPrincipal user, ServiceStats stats, int? days, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        if (days is < 1 or > 365)
            return Problems.Validation("stats.days_invalid", "days", "days doit être compris entre 1 et 365.");
        return TypedResults.Ok(await stats.ForAsync(days ?? 30, ct));
    }
}

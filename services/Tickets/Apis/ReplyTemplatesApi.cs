using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

public sealed record RenderedTemplate(string Body);

/// <summary>Each team's reply templates, and a template filled in for one thread; staff only.</summary>
public static class ReplyTemplatesApi
{
    public static IEndpointRouteBuilder MapReplyTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reply-templates");
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapPut("/{templateId:guid}", UpdateAsync);
        api.MapDelete("/{templateId:guid}", DeleteAsync);
        api.MapGet("/{templateId:guid}/render", RenderAsync);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ReplyTemplate>>, ProblemHttpResult, ValidationProblem>> ListAsync(
        string? team, ClaimsPrincipal user, Teams teams, ReplyTemplateStore templates, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        if (team is not null && teams.Find(team) is null)
            return Problems.Validation("template.team_unknown", "team", "Cette équipe n'existe pas.");
        return TypedResults.Ok(await templates.ListAsync(team, ct));
    }

    public static async Task<Results<Created<ReplyTemplate>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        TemplateRequest request, ClaimsPrincipal user, Teams teams, ReplyTemplateStore templates,
        IOptions<TicketOptions> options, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        var errors = request.Validate(teams, options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        var template = await templates.SaveAsync(
            Guid.CreateVersion7(), request, PortalUser.From(user), create: true, ct);
        return TypedResults.Created($"/api/reply-templates/{template!.Id}", template);
    }

    public static async Task<Results<Ok<ReplyTemplate>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        Guid templateId, TemplateRequest request, ClaimsPrincipal user, Teams teams, ReplyTemplateStore templates,
        IOptions<TicketOptions> options, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        var errors = request.Validate(teams, options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        return await templates.SaveAsync(templateId, request, PortalUser.From(user), create: false, ct) is { } saved
            ? TypedResults.Ok(saved)
            : Problems.NotFound("template");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid templateId, ClaimsPrincipal user, ReplyTemplateStore templates, CancellationToken ct)
    {
        if (!user.IsStaff())
            return Problems.StaffOnly();
        return await templates.DeleteAsync(templateId, ct) ? TypedResults.NoContent() : Problems.NotFound("template");
    }

    /// <summary>
    /// The template filled in for a thread: its company, its number and its member (the latest member who wrote,
    /// else the member who opened it, else the first of its list).
    /// </summary>
    public static async Task<Results<Ok<RenderedTemplate>, ProblemHttpResult, ValidationProblem>> RenderAsync(
        Guid templateId, Guid? ticketId, ClaimsPrincipal user, ReplyTemplateStore templates, TicketStore tickets,
        AccessClient access, CancellationToken ct)
    {
        var reader = PortalUser.From(user);
        if (!reader.IsStaff)
            return Problems.StaffOnly();
        if (ticketId is null)
            return Problems.Validation("template.ticket_required", "ticketId", "Indiquez la demande.");
        var template = await templates.FindAsync(templateId, ct);
        if (template is null)
            return Problems.NotFound("template");
        var thread = await tickets.PlaceholderSourceAsync(ticketId.Value, ct);
        if (thread is null)
            return Problems.NotFound("ticket");
        var member = thread.MemberName;
        if (member is null)
            member = (await access.GetAsync(ticketId.Value, ct))?.Users.FirstOrDefault()?.DisplayName ?? "";
        var (first, last) = TemplateValues.SplitName(member);
        var company = await access.CompanyNameAsync(thread.CompanyId, ct) ?? "";
        return TypedResults.Ok(new RenderedTemplate(
            TemplatePlaceholders.Fill(template.Body, new TemplateValues(company, thread.Number, first, last))));
    }
}

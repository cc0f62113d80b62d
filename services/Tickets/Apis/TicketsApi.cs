using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

public sealed class TicketOptions
{
    public int MaxBodyLength { get; set; } = 10_000;

    /// <summary>How many messages a thread view carries at once (the newest; earlier ones by cursor).</summary>
    public int ThreadPageSize { get; set; } = 50;
}

public sealed record UnreadCount(long Count);

public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ticket-subjects", () => TypedResults.Ok(Subjects.All));
        app.MapGet("/api/close-reasons", () => TypedResults.Ok(CloseReasons.All));

        var api = app.MapGroup("/api/tickets");
        api.MapPost("/", OpenAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/unread-count", GetUnreadCountAsync);
        api.MapGet("/{ticketId:guid}", GetAsync);
        api.MapPost("/{ticketId:guid}/messages", PostMessageAsync);
        api.MapPost("/{ticketId:guid}/read", MarkReadAsync);
        api.MapPost("/{ticketId:guid}/notes", AddNoteAsync);
        api.MapPost("/{ticketId:guid}/close", CloseAsync);
        api.MapPost("/{ticketId:guid}/reopen", ReopenAsync);
        return app;
    }

    public static async Task<Results<Created<ThreadView>, ProblemHttpResult, ValidationProblem>> OpenAsync(
        NewTicket request, ClaimsPrincipal user, TicketStore tickets, AccessRegistry access,
        AttachmentsClient attachments, IOptions<TicketOptions> options, CancellationToken ct)
    {
        var author = PortalUser.From(user);
        if (request.RequiresReply && !author.IsStaff)
            return OnlyStaffAskForReplies();
        var errors = request.Validate(author.IsStaff, options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var files = await attachments.ClaimableAsync(author.UserId, request.AttachmentIds ?? [], ct);
        if (files is null)
            return AttachmentsNotUsable();

        var companyId = author.IsStaff ? request.CompanyId!.Value : author.CompanyId!.Value;
        var ticketId = Guid.CreateVersion7();

        // Access holds the list before the thread exists, so the creator may read or change it as
        // soon as this call answers 201; it also refuses users of another company (or an unknown company).
        var (list, rejection) = await access.RegisterAsync(
            new AccessRegistration(
                ticketId, companyId, author.UserId, request.Visibility!.Mode!, request.Visibility.UserIds ?? []),
            ct);
        if (rejection is not null)
        {
            // Access says which field is wrong (an unknown company, a user of another company).
            var code = rejection.Problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            return code == "ticket.company_unknown"
                ? Problems.Validation(code, "companyId", "Cette entreprise n'existe pas.")
                : Problems.Validation(code ?? "access.user_not_in_company", "visibility.userIds",
                    "Chaque utilisateur choisi doit appartenir à l'entreprise de la demande.");
        }

        await tickets.OpenAsync(ticketId, request, companyId, author, list!, files, ct);
        var detail = await tickets.FindAsync(ticketId, author, options.Value.ThreadPageSize, before: null, ct);
        await attachments.BindFilesAsync(
            ticketId, detail!.Messages[0].Id, author.UserId, files, await tickets.AccessOfAsync(ticketId, ct), ct);
        Telemetry.ThreadsOpened.Add(1, Telemetry.Side(author));
        return TypedResults.Created($"/api/tickets/{ticketId}", ThreadView.From(detail!, author, list));
    }

    /// <summary>
    /// The thread with its newest page of messages, or, with <paramref name="before"/>, the page before that cursor.
    /// </summary>
    public static async Task<Results<Ok<ThreadView>, ProblemHttpResult, ValidationProblem>> GetAsync(
        Guid ticketId, string? before, ClaimsPrincipal user, TicketStore tickets, AccessClient access,
        ReadTrail trail, IOptions<TicketOptions> options, CancellationToken ct)
    {
        (DateTime At, Guid Id)? page = null;
        if (before is not null)
        {
            if (!Cursor.TryDecode(before, out var position))
                return Problems.Validation("ticket.cursor_invalid", "before", "Curseur invalide.");
            page = position;
        }
        var reader = PortalUser.From(user);
        var detail = await tickets.FindAsync(ticketId, reader, options.Value.ThreadPageSize, page, ct);
        if (detail is null)
            return Problems.NotFound("ticket");
        // An opening, not a page of earlier messages, goes into the read trail.
        if (page is null)
            await trail.RecordOpeningAsync(ticketId, reader, ct);
        return TypedResults.Ok(ThreadView.From(detail, reader, await access.GetAsync(ticketId, ct)));
    }

    public static async Task<Results<Created<MessageView>, ProblemHttpResult, ValidationProblem>> PostMessageAsync(
        Guid ticketId, NewMessage request, ClaimsPrincipal user, TicketStore tickets, AttachmentsClient attachments,
        IOptions<TicketOptions> options, CancellationToken ct)
    {
        var author = PortalUser.From(user);
        if (request.RequiresReply && !author.IsStaff)
            return OnlyStaffAskForReplies();
        var errors = request.Validate(options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        var files = await attachments.ClaimableAsync(author.UserId, request.AttachmentIds ?? [], ct);
        if (files is null)
            return AttachmentsNotUsable();

        var (outcome, message) = await tickets.PostMessageAsync(
            ticketId, author, request.Body!, request.RequiresReply, files, ct);
        if (outcome == TicketStore.PostOutcome.Posted)
        {
            if (files.Count > 0)
                await attachments.BindFilesAsync(
                    ticketId, message!.Id, author.UserId, files, await tickets.AccessOfAsync(ticketId, ct), ct);
            Telemetry.MessagesPosted.Add(1, Telemetry.Side(author));
        }
        return outcome switch
        {
            TicketStore.PostOutcome.NotFound => Problems.NotFound("ticket"),
            TicketStore.PostOutcome.Closed => Problems.Of(StatusCodes.Status409Conflict, "ticket.closed",
                "La demande est clôturée : elle n'accepte plus de message."),
            _ => TypedResults.Created($"/api/tickets/{ticketId}", MessageView.From(message!)),
        };
    }

    public static async Task<Results<Ok<ThreadView>, ProblemHttpResult, ValidationProblem>> CloseAsync(
        Guid ticketId, CloseRequest request, ClaimsPrincipal user, TicketStore tickets, AccessClient access,
        IOptions<TicketOptions> options, CancellationToken ct)
    {
        var actor = PortalUser.From(user);
        var errors = request.Validate(actor.IsStaff, options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        return await ChangedAsync(ticketId, actor, await tickets.ChangeStatusAsync(ticketId, actor, request, ct),
            "ticket.already_closed", tickets, access, options, ct);
    }

    public static async Task<Results<Ok<ThreadView>, ProblemHttpResult, ValidationProblem>> ReopenAsync(
        Guid ticketId, ClaimsPrincipal user, TicketStore tickets, AccessClient access, IOptions<TicketOptions> options,
        CancellationToken ct)
    {
        var actor = PortalUser.From(user);
        return await ChangedAsync(ticketId, actor, await tickets.ChangeStatusAsync(ticketId, actor, closing: null, ct),
            "ticket.already_open", tickets, access, options, ct);
    }

    private static async Task<Results<Ok<ThreadView>, ProblemHttpResult, ValidationProblem>> ChangedAsync(
        Guid ticketId, PortalUser actor, TicketStore.ChangeOutcome outcome, string conflictCode, TicketStore tickets,
        AccessClient access, IOptions<TicketOptions> options, CancellationToken ct) =>
        outcome switch
    {
        TicketStore.ChangeOutcome.NotFound => Problems.NotFound("ticket"),
        TicketStore.ChangeOutcome.Forbidden => Problems.Of(
            StatusCodes.Status403Forbidden, "ticket.transition_forbidden",
            "Vous ne pouvez pas effectuer cette action sur cette demande."),
        TicketStore.ChangeOutcome.Conflict =>
            Problems.Of(StatusCodes.Status409Conflict, conflictCode, "La demande est déjà dans cet état."),
        _ => TypedResults.Ok(ThreadView.From(
            (await tickets.FindAsync(ticketId, actor, options.Value.ThreadPageSize, before: null, ct))!,
            actor, await access.GetAsync(ticketId, ct))),
    };

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(
        Guid ticketId, ClaimsPrincipal user, TicketStore tickets, CancellationToken ct) =>
        await tickets.MarkReadAsync(ticketId, PortalUser.From(user), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("ticket");

    /// <param name="assignee">Staff: <c>me</c>, <c>none</c> or a staff member's id.</param>
    /// <param name="team">Staff: a team's code, or <c>mine</c> for any of the caller's teams.</param>
    /// <param name="overdue">Staff: only threads past their first-response target.</param>
    public static async Task<Results<Ok<TicketPage>, ProblemHttpResult, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, TicketList list, Teams teams, AccessClient access, string? filter, string? q, int? limit,
        string? cursor, Guid? companyId, string? assignee, string? team, bool? overdue, CancellationToken ct)
    {
        var reader = PortalUser.From(user);
        if (!reader.IsStaff && (assignee is not null || team is not null || overdue is not null))
            return Problems.StaffOnly();
        if (filter is not null && !TicketList.Filters.Contains(filter))
            return Problems.Validation("ticket.filter_unknown", "filter",
                "Filtre inconnu : unread, action_required, in_progress ou archived.");
        if (limit is < 1 or > 100)
            return Problems.Validation("ticket.limit_invalid", "limit", "limit doit être compris entre 1 et 100.");
        (DateTime At, Guid Id)? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, out var position))
                return Problems.Validation("ticket.cursor_invalid", "cursor", "Curseur invalide.");
            after = position;
        }
        if (q is { Length: > 200 })
            return Problems.Validation(
                "ticket.query_too_long", "q", "La recherche ne peut pas dépasser 200 caractères.");
        Guid? assigneeId = assignee switch
        {
            null or "none" => null,
            "me" => reader.UserId,
            _ => Guid.TryParse(assignee, out var id) ? id : Guid.Empty,
        };
        if (assigneeId == Guid.Empty)
            return Problems.Validation("ticket.assignee_invalid", "assignee",
                "assignee vaut me, none ou l'identifiant d'une personne du service.");
        IReadOnlyList<string>? teamCodes = team switch
        {
            null => null,
            "mine" => (await access.StaffAsync(ct)).FirstOrDefault(s => s.Id == reader.UserId)?.Teams ?? [],
            _ => teams.Find(team) is null ? null : [team],
        };
        if (team is not null && teamCodes is null)
            return Problems.Validation("ticket.team_unknown", "team", "Cette équipe n'existe pas.");
        var staff = new StaffFilter(assignee == "none", assigneeId, teamCodes, overdue == true);
        return TypedResults.Ok(await list.ListAsync(reader, filter, q, limit ?? 20, after, companyId, staff, ct));
    }

    /// <summary>An internal note: staff only (a member is refused whether or not the thread exists).</summary>
    public static async Task<Results<Created<NoteView>, ProblemHttpResult, ValidationProblem>> AddNoteAsync(
        Guid ticketId, NewNote request, ClaimsPrincipal user, TicketStore tickets, IOptions<TicketOptions> options,
        CancellationToken ct)
    {
        var author = PortalUser.From(user);
        if (!author.IsStaff)
            return Problems.Of(StatusCodes.Status403Forbidden, "note.staff_only",
                "Seul le service peut écrire une note interne.");
        var errors = request.Validate(options.Value.MaxBodyLength);
        if (errors.Count > 0)
            return Problems.Validation(errors);
        var note = await tickets.AddNoteAsync(ticketId, author, request.Body!, ct);
        return note is null
            ? Problems.NotFound("ticket")
            : TypedResults.Created($"/api/tickets/{ticketId}", NoteView.From(note));
    }

    public static async Task<Ok<UnreadCount>> GetUnreadCountAsync(
        ClaimsPrincipal user, UnreadCounts counts, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCount(await counts.CountAsync(PortalUser.From(user), ct)));

    // Opening a thread and answering one refuse the same way.
    private static ProblemHttpResult OnlyStaffAskForReplies() =>
        Problems.Of(StatusCodes.Status403Forbidden, "ticket.requires_reply_staff_only",
            "Seul le service peut demander une réponse.");

    private static ValidationProblem AttachmentsNotUsable() =>
        Problems.Validation("attachment.not_usable", "attachmentIds",
            "Un document joint n'existe pas, ne vous appartient pas ou est déjà joint à un message.");
}

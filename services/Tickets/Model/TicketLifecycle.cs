using Portal.Contracts;

namespace Portal.Tickets.Model;

/// <summary>Where a thread stands in its lifecycle, as the rules need it.</summary>
public sealed record LifecycleState(bool Open, Guid CreatedBy, Guid? ClosedBy, string? ClosedBySide);

public enum Transition { Allowed, Forbidden, Conflict }

/// <summary>
/// Who may close and reopen a thread (docs/DESIGN.md, "Thread lifecycle"): a member closes only a thread
/// they created, staff any; a member-closed thread is reopened by that member or staff, a
/// staff-closed one by staff only; closing a closed thread or reopening an open one conflicts.
/// </summary>
public static class TicketLifecycle
{
    public static Transition Close(LifecycleState state, Guid userId, bool isStaff)
    {
        if (!state.Open)
            return Transition.Conflict;
        return isStaff || state.CreatedBy == userId ? Transition.Allowed : Transition.Forbidden;
    }

    public static Transition Reopen(LifecycleState state, Guid userId, bool isStaff)
    {
        if (state.Open)
            return Transition.Conflict;
        if (isStaff)
            return Transition.Allowed;
        return state.ClosedBySide == Sides.Member && state.ClosedBy == userId
            ? Transition.Allowed
            : Transition.Forbidden;
    }
}

public sealed record CloseRequest(string? Reason, string? Message)
{
    public IReadOnlyList<FieldError> Validate(bool byStaff, int maxBodyLength)
    {
        var errors = new List<FieldError>();
        if (CloseReasons.Find(Reason) is null)
            errors.Add(new("ticket.close_reason_unknown", "reason", "Choisissez un motif de clôture."));
        if (!byStaff && string.IsNullOrWhiteSpace(Message))
            errors.Add(new("ticket.close_message_required", "message",
                "Écrivez un message à destination du service."));
        if ((Message?.Length ?? 0) > maxBodyLength)
            errors.Add(new("ticket.close_message_too_long", "message",
                $"Le message ne peut pas dépasser {maxBodyLength} caractères."));
        return errors;
    }
}

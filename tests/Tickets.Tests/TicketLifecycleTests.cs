using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

public sealed class TicketLifecycleTests
{
    private static readonly Guid Creator = Guid.NewGuid();
    private static readonly Guid Colleague = Guid.NewGuid();
    private static readonly Guid Staff = Guid.NewGuid();

    private static readonly LifecycleState Open = new(true, Creator, null, null);
    private static readonly LifecycleState ClosedByCreator = new(false, Creator, Creator, "member");
    private static readonly LifecycleState ClosedByStaff = new(false, Creator, Staff, "staff");

    [Fact]
    public void The_creator_may_close_their_thread() =>
        Assert.Equal(Transition.Allowed, TicketLifecycle.Close(Open, Creator, isStaff: false));

    [Fact]
    public void A_colleague_may_not_close_a_thread_they_did_not_create() =>
        Assert.Equal(Transition.Forbidden, TicketLifecycle.Close(Open, Colleague, isStaff: false));

    [Fact]
    public void Staff_may_close_any_thread() =>
        Assert.Equal(Transition.Allowed, TicketLifecycle.Close(Open, Staff, isStaff: true));

    [Fact]
    public void Closing_a_closed_thread_conflicts_for_everyone()
    {
        Assert.Equal(Transition.Conflict, TicketLifecycle.Close(ClosedByCreator, Creator, isStaff: false));
        Assert.Equal(Transition.Conflict, TicketLifecycle.Close(ClosedByStaff, Staff, isStaff: true));
    }

    [Fact]
    public void A_member_closed_thread_is_reopened_by_that_member_or_staff_only()
    {
        Assert.Equal(Transition.Allowed, TicketLifecycle.Reopen(ClosedByCreator, Creator, isStaff: false));
        Assert.Equal(Transition.Allowed, TicketLifecycle.Reopen(ClosedByCreator, Staff, isStaff: true));
        Assert.Equal(Transition.Forbidden, TicketLifecycle.Reopen(ClosedByCreator, Colleague, isStaff: false));
    }

    [Fact]
    public void A_staff_closed_thread_is_reopened_by_staff_only()
    {
        Assert.Equal(Transition.Forbidden, TicketLifecycle.Reopen(ClosedByStaff, Creator, isStaff: false));
        Assert.Equal(Transition.Allowed, TicketLifecycle.Reopen(ClosedByStaff, Guid.NewGuid(), isStaff: true));
    }

    [Fact]
    public void Reopening_an_open_thread_conflicts() =>
        Assert.Equal(Transition.Conflict, TicketLifecycle.Reopen(Open, Staff, isStaff: true));

    [Theory]
    [InlineData("resolved", "Merci", false, null)]
    [InlineData("other", "", true, null)]
    [InlineData("unknown", "Merci", false, "ticket.close_reason_unknown")]
    [InlineData(null, "Merci", true, "ticket.close_reason_unknown")]
    [InlineData("resolved", "   ", false, "ticket.close_message_required")]
    public void A_closure_needs_a_known_reason_and_from_a_member_a_message(
        string? reason, string message, bool byStaff, string? code)
    {
        var errors = new CloseRequest(reason, message).Validate(byStaff, 10_000);
        Assert.Equal(code, errors.Select(e => e.Code).FirstOrDefault());
    }
}

using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

public sealed class TicketStateTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    private static ThreadMessage Message(string side, int minute, bool requiresReply = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "x", side, "corps", requiresReply, [], T0.AddMinutes(minute));

    [Fact]
    public void A_member_must_act_while_the_latest_staff_message_requires_a_reply()
    {
        ThreadMessage[] messages = [Message("member", 0), Message("staff", 1, requiresReply: true)];
        Assert.True(TicketState.ActionRequired(true, messages, "member"));
        Assert.False(TicketState.ActionRequired(true, messages, "staff"));
    }

    [Fact]
    public void A_member_reply_ends_the_action_required()
    {
        ThreadMessage[] messages = [Message("staff", 0, requiresReply: true), Message("member", 1)];
        Assert.False(TicketState.ActionRequired(true, messages, "member"));
    }

    [Fact]
    public void A_later_staff_message_without_reply_required_ends_it_too()
    {
        ThreadMessage[] messages = [Message("staff", 0, requiresReply: true), Message("staff", 1)];
        Assert.False(TicketState.ActionRequired(true, messages, "member"));
    }

    [Fact]
    public void Staff_must_act_while_an_open_thread_ends_with_a_member_message()
    {
        ThreadMessage[] messages = [Message("staff", 0), Message("member", 1)];
        Assert.True(TicketState.ActionRequired(true, messages, "staff"));
        Assert.False(TicketState.ActionRequired(false, messages, "staff"));
    }

    [Fact]
    public void A_thread_is_unread_while_the_other_side_wrote_after_the_readers_marker()
    {
        ThreadMessage[] messages = [Message("member", 0), Message("staff", 5)];
        Assert.True(TicketState.Unread(messages, "member", readAt: T0.AddMinutes(1)));
        Assert.False(TicketState.Unread(messages, "member", readAt: T0.AddMinutes(5)));
        Assert.True(TicketState.Unread(messages, "member", readAt: null));
        Assert.False(TicketState.Unread([Message("member", 0)], "member", readAt: null));
    }

    [Theory]
    [InlineData("inconnu", "corps", "company", "ticket.subject_unknown")]
    [InlineData("autre", "   ", "company", "ticket.body_required")]
    [InlineData("autre", "corps", "everyone", "ticket.visibility_unknown")]
    public void An_invalid_request_names_its_field(string subject, string body, string mode, string code)
    {
        var errors = new NewTicket(subject, body, [], new VisibilityRequest(mode, []), null).Validate(byStaff: false, maxBodyLength: 10_000);
        Assert.Contains(errors, e => e.Code == code);
    }

    [Fact]
    public void A_body_longer_than_the_limit_and_too_many_attachments_are_refused()
    {
        var request = new NewTicket("autre", new string('a', 101), Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()).ToList(),
            new VisibilityRequest("company", []), null);
        var codes = request.Validate(byStaff: false, maxBodyLength: 100).Select(e => e.Code).ToList();
        Assert.Contains("ticket.body_too_long", codes);
        Assert.Contains("ticket.too_many_attachments", codes);
    }

    [Fact]
    public void Staff_must_name_the_company()
    {
        var request = new NewTicket("autre", "corps", [], new VisibilityRequest("company", []), null);
        Assert.Contains(request.Validate(byStaff: true, 10_000), e => e.Code == "ticket.company_required");
        Assert.Empty(request.Validate(byStaff: false, 10_000));
    }
}

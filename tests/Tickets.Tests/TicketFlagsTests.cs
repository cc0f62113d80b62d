using Microsoft.Extensions.Hosting;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>
/// "Unread" and "action required" have one definition, in SQL: these tests hold the thread view,
/// the list and the unread count to docs/DESIGN.md's rules against a real PostgreSQL.
/// </summary>
[Collection(TicketDatabaseCollection.Name)]
public sealed class TicketFlagsTests
{
    private readonly TicketStore _store;
    private readonly TicketList _list;
    private readonly UnreadCounts _counts;
    private readonly Guid _company = Guid.NewGuid();
    private readonly PortalUser _member;
    private readonly PortalUser _colleague;
    private readonly PortalUser _staff = new(Guid.NewGuid(), true, null, "Service");

    public TicketFlagsTests(TicketDatabase database)
    {
        _store = database.Store();
        _list = database.List();
        _counts = new UnreadCounts(database.DataSource);
        _member = new PortalUser(Guid.NewGuid(), false, _company, "Membre");
        _colleague = new PortalUser(Guid.NewGuid(), false, _company, "Collègue");
    }

    [Fact]
    public async Task A_member_must_act_while_the_latest_staff_message_requires_a_reply()
    {
        var ticket = await OpenAsync(_member);
        await PostAsync(ticket, _staff, requiresReply: true);
        Assert.True((await FlagsAsync(ticket, _member)).ActionRequired);
        Assert.True((await FlagsAsync(ticket, _colleague)).ActionRequired);
        Assert.False((await FlagsAsync(ticket, _staff)).ActionRequired);

        await PostAsync(ticket, _colleague);
        Assert.False((await FlagsAsync(ticket, _member)).ActionRequired);
        Assert.True((await FlagsAsync(ticket, _staff)).ActionRequired);
    }

    [Fact]
    public async Task A_later_staff_message_without_reply_required_ends_the_members_action()
    {
        var ticket = await OpenAsync(_staff, requiresReply: true);
        Assert.True((await FlagsAsync(ticket, _member)).ActionRequired);
        await PostAsync(ticket, _staff);
        Assert.False((await FlagsAsync(ticket, _member)).ActionRequired);
    }

    [Fact]
    public async Task Staff_must_act_while_an_open_thread_ends_with_a_member_message()
    {
        var ticket = await OpenAsync(_member);
        Assert.True((await FlagsAsync(ticket, _staff)).ActionRequired);
        await _store.ChangeStatusAsync(ticket, _staff, new CloseRequest("resolved", ""), CancellationToken.None);
        Assert.False((await FlagsAsync(ticket, _staff)).ActionRequired);
    }

    [Fact]
    public async Task A_thread_is_unread_while_the_other_side_wrote_after_the_readers_marker()
    {
        var ticket = await OpenAsync(_member);
        Assert.False((await FlagsAsync(ticket, _member)).Unread);
        Assert.True((await FlagsAsync(ticket, _staff)).Unread);
        Assert.False((await FlagsAsync(ticket, _colleague)).Unread); // the member's own side wrote

        await PostAsync(ticket, _staff);
        Assert.True((await FlagsAsync(ticket, _member)).Unread);
        Assert.True((await FlagsAsync(ticket, _colleague)).Unread);
        Assert.False((await FlagsAsync(ticket, _staff)).Unread); // writing marks read

        await _store.MarkReadAsync(ticket, _member, CancellationToken.None);
        Assert.False((await FlagsAsync(ticket, _member)).Unread);
        Assert.True((await FlagsAsync(ticket, _colleague)).Unread); // read state is per user
    }

    [Fact]
    public async Task The_unread_count_counts_exactly_the_unread_threads_a_member_may_see()
    {
        var first = await OpenAsync(_member);
        var second = await OpenAsync(_member);
        await OpenAsync(_member);
        await PostAsync(first, _staff);
        await PostAsync(second, _staff);
        Assert.Equal(2, await _counts.CountAsync(_member, CancellationToken.None));

        await _store.MarkReadAsync(first, _member, CancellationToken.None);
        Assert.Equal(1, await _counts.CountAsync(_member, CancellationToken.None));
        var stranger = new PortalUser(Guid.NewGuid(), false, Guid.NewGuid(), "Ailleurs");
        Assert.Equal(0, await _counts.CountAsync(stranger, CancellationToken.None));
        Assert.Null(await _store.FindAsync(first, stranger, 50, before: null, CancellationToken.None));
    }

    [Fact]
    public async Task A_list_row_and_the_thread_preview_the_start_of_the_latest_message()
    {
        var ticket = await OpenAsync(_member);
        await _store.PostMessageAsync(ticket, _staff, "Bonjour,\n\nvotre attestation " + new string('x', 300), false,
            [],
            CancellationToken.None);
        var row = (await _list.ListAsync(
                _member, null, null, 100, null, null, StaffFilter.None, CancellationToken.None))
            .Items.Single(t => t.Id == ticket);
        Assert.StartsWith("Bonjour, votre attestation xxx", row.Preview);
        Assert.Equal(MessagePreview.MaxLength, row.Preview.Length);
        var thread = await _store.FindAsync(ticket, _member, 50, before: null, CancellationToken.None);
        Assert.Equal(row.Preview, MessagePreview.Of(thread!.Messages[^1].Body));
    }

    private async Task<Guid> OpenAsync(PortalUser author, bool requiresReply = false)
    {
        var id = Guid.CreateVersion7();
        var access = new AccessListView(VisibilityModes.Company, [], author.UserId);
        await _store.OpenAsync(id, new NewTicket("autre", "Bonjour", [],
                new VisibilityRequest(VisibilityModes.Company, []), _company, requiresReply),
            _company, author, access, [], CancellationToken.None);
        return id;
    }

    private Task PostAsync(Guid ticket, PortalUser author, bool requiresReply = false) =>
        _store.PostMessageAsync(ticket, author, "Message", requiresReply, [], CancellationToken.None);

    private async Task<(bool Unread, bool ActionRequired)> FlagsAsync(Guid ticket, PortalUser reader)
    {
        var detail = await _store.FindAsync(ticket, reader, 50, before: null, CancellationToken.None);
        var listed = (await _list.ListAsync(
                reader, null, null, 100, null, reader.IsStaff ? _company : null, StaffFilter.None,
                CancellationToken.None))
            .Items.Single(t => t.Id == ticket);
        // The view and the list never disagree: they read the same SQL.
        Assert.Equal((detail!.Unread, detail.ActionRequired), (listed.Unread, listed.ActionRequired));
        return (detail.Unread, detail.ActionRequired);
    }
}

using Dapper;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>Internal notes at the source: on the thread for staff only, in no event, in no search.</summary>
[Collection(TicketDatabaseCollection.Name)]
public sealed class InternalNoteTests(TicketDatabase database)
{
    private readonly TicketStore _store = database.Store();
    private readonly TicketList _list = database.List();

    [Fact]
    public async Task A_note_is_on_the_thread_for_staff_only_and_makes_no_event_and_no_search_match()
    {
        var company = Guid.NewGuid();
        var member = new PortalUser(Guid.NewGuid(), false, company, "Membre");
        var staff = new PortalUser(Guid.NewGuid(), true, null, "Agent");
        var ticket = Guid.CreateVersion7();
        await _store.OpenAsync(ticket, new NewTicket("autre", "Bonjour", [],
                new VisibilityRequest(VisibilityModes.Company, []), company, false),
            company, member, new AccessListView(VisibilityModes.Company, [], member.UserId), [],
            CancellationToken.None);
        var events = await OutboxCountAsync();

        var note = await _store.AddNoteAsync(ticket, staff, "Le dossier quetzalcoatl est sensible.",
            CancellationToken.None);

        Assert.NotNull(note);
        Assert.Equal(events, await OutboxCountAsync());
        Assert.Null((await _store.FindAsync(ticket, member, 50, before: null, CancellationToken.None))!.Notes);
        Assert.Equal(note, Assert.Single(
            (await _store.FindAsync(ticket, staff, 50, before: null, CancellationToken.None))!.Notes!));
        foreach (var reader in new[] { member, staff })
            Assert.Empty((await _list.ListAsync(
                    reader, null, "quetzalcoatl", 20, null, null, StaffFilter.None, CancellationToken.None))
                .Items);
        Assert.Null(await _store.AddNoteAsync(Guid.NewGuid(), staff, "Perdue", CancellationToken.None));
    }

    private async Task<long> OutboxCountAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from outbox_messages");
    }
}

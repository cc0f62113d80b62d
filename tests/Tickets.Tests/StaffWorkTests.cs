using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>
/// Routing, first-response targets, the read trail and the service's figures, at the source, on a clock of the
/// test's own (Friday 27 November 2026, 15:00 in Paris) and a team of its own, so that other tests' threads don't
/// count.
/// </summary>
[Collection(TicketDatabaseCollection.Name)]
public sealed class StaffWorkTests
{
    private readonly TicketDatabase _database;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero));
    private readonly string _team = "equipe-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TicketStore _store;
    private readonly TicketList _list;
    private readonly Guid _company = Guid.NewGuid();
    private readonly PortalUser _member;
    private readonly PortalUser _staff = new(Guid.NewGuid(), true, null, "Nadia BENALI");

    public StaffWorkTests(TicketDatabase database)
    {
        _database = database;
        var teams = new Teams([new Team(_team, "Équipe du test", Subjects.All.Select(s => s.Code).ToList())]);
        _store = new TicketStore(database.DataSource, _clock, teams, Options.Create(new ServiceLevelOptions
        {
            BySubject = { ["facturation"] = 5 },
        }));
        _list = new TicketList(database.DataSource, _clock);
        _member = new PortalUser(Guid.NewGuid(), false, _company, "Camille LEFEBVRE");
    }

    [Fact]
    public async Task A_member_thread_goes_to_its_subject_team_and_is_late_once_its_target_passes_unanswered()
    {
        var ticket = await OpenAsync(_member, "rendez-vous");
        var billing = await OpenAsync(_member, "facturation");
        var byStaff = await OpenAsync(_staff, "autre");

        var detail = await FindAsync(ticket, _staff);
        Assert.Equal(_team, detail.Ticket.Team);
        Assert.Equal(new DateTime(2026, 12, 1, 14, 0, 0, DateTimeKind.Utc), detail.Ticket.DueAt);
        Assert.Equal(new DateTime(2026, 12, 4, 14, 0, 1, DateTimeKind.Utc),
            (await FindAsync(billing, _staff)).Ticket.DueAt);
        Assert.Null((await FindAsync(byStaff, _staff)).Ticket.DueAt);
        Assert.False(detail.Overdue);
        Assert.Empty(await OverdueAsync());

        _clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromMinutes(1));
        Assert.True((await FindAsync(ticket, _staff)).Overdue);
        Assert.Equal([ticket], await OverdueAsync());

        await _store.PostMessageAsync(ticket, _staff, "Voici une date.", false, [], CancellationToken.None);
        var answered = await FindAsync(ticket, _staff);
        Assert.False(answered.Overdue);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, answered.Ticket.FirstResponseAt);
        Assert.Empty(await OverdueAsync());
    }

    [Fact]
    public async Task An_assignment_publishes_its_event_once_and_the_lists_filter_by_assignee_and_team()
    {
        var ticket = await OpenAsync(_member, "autre");
        var other = await OpenAsync(_member, "autre");
        var nadia = new StaffMember(_staff.UserId, _staff.DisplayName, [_team]);

        Assert.Equal(TicketStore.AssignOutcome.Assigned,
            await _store.AssignAsync(ticket, _staff, _team, nadia, CancellationToken.None));
        Assert.Equal(TicketStore.AssignOutcome.Unchanged,
            await _store.AssignAsync(ticket, _staff, _team, nadia, CancellationToken.None));
        Assert.Equal(TicketStore.AssignOutcome.NotFound,
            await _store.AssignAsync(Guid.NewGuid(), _staff, _team, nadia, CancellationToken.None));

        var events = await EventsAsync<TicketAssigned>(ticket);
        var assigned = Assert.Single(events);
        Assert.Equal((_team, (Guid?)_staff.UserId, _staff.UserId),
            (assigned.Team, assigned.AssigneeId, assigned.AssignedBy));
        var detail = await FindAsync(ticket, _staff);
        Assert.Equal((_staff.UserId, "Nadia BENALI"), (detail.Ticket.AssigneeId, detail.Ticket.AssigneeName));
        // Routing is no activity: nothing a member sees moves.
        Assert.Equal(detail.Ticket.CreatedAt, detail.Ticket.LastActivityAt);

        Assert.Equal([ticket], await ListAsync(new StaffFilter(false, _staff.UserId, [_team], false)));
        Assert.Equal([other], await ListAsync(new StaffFilter(true, null, [_team], false)));
        Assert.Equal([other, ticket], await ListAsync(new StaffFilter(false, null, [_team], false)));
        // A member's list ignores staff filters altogether.
        Assert.Equal(2, (await _list.ListAsync(_member, null, null, 100, null, null,
            new StaffFilter(false, Guid.NewGuid(), ["personne"], true), CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task The_read_trail_keeps_one_line_per_visit_and_cannot_be_edited()
    {
        var ticket = await OpenAsync(_member, "autre");
        var trail = new ReadTrail(
            _database.DataSource, _clock, Options.Create(new ReadTrailOptions { RetentionDays = 10 }));

        await trail.RecordOpeningAsync(ticket, _member, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await trail.RecordOpeningAsync(ticket, _member, CancellationToken.None);
        await trail.RecordOpeningAsync(ticket, _staff, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await trail.RecordOpeningAsync(ticket, _member, CancellationToken.None);

        var lines = await trail.OpeningsAsync(ticket, CancellationToken.None);
        Assert.Equal([_member.UserId, _staff.UserId, _member.UserId], lines.Select(l => l.UserId));
        Assert.Equal([Sides.Member, Sides.Staff, Sides.Member], lines.Select(l => l.Side));
        Assert.Equal([(Guid?)_company, null, _company], lines.Select(l => l.CompanyId));

        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            var edit = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
                "update thread_reads set user_name = 'Personne' where ticket_id = @ticket", new { ticket }));
            Assert.Contains("never edited", edit.MessageText);
        }

        _clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1));
        await trail.PruneAsync(CancellationToken.None);
        Assert.Empty(await trail.OpeningsAsync(ticket, CancellationToken.None));
    }

    [Fact]
    public async Task The_figures_count_open_unassigned_and_late_threads_and_median_times()
    {
        var stats = new ServiceStats(_database.DataSource, _clock,
            new Teams([new Team(_team, "Équipe du test", Subjects.All.Select(s => s.Code).ToList())]));
        var answeredInOneHour = await OpenAsync(_member, "autre");
        var late = await OpenAsync(_member, "autre");
        _clock.Advance(TimeSpan.FromHours(1));
        await _store.PostMessageAsync(answeredInOneHour, _staff, "Réponse", false, [], CancellationToken.None);
        await _store.AssignAsync(answeredInOneHour, _staff, _team,
            new StaffMember(_staff.UserId, _staff.DisplayName, [_team]), CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2));
        await _store.ChangeStatusAsync(answeredInOneHour, _staff, new CloseRequest("resolved", "Fait"),
            CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(5));

        var team = Assert.Single((await stats.ForAsync(30, CancellationToken.None)).Teams);
        Assert.Equal((_team, 1L, 1L, 1L), (team.Team, team.Open, team.Unassigned, team.Overdue));
        Assert.Equal(60, team.MedianFirstResponseMinutes);
        Assert.Equal(180, team.MedianResolutionMinutes);
        Assert.NotEqual(late, answeredInOneHour);
    }

    private async Task<Guid> OpenAsync(PortalUser author, string subject)
    {
        var ticket = Guid.CreateVersion7();
        await _store.OpenAsync(ticket, new NewTicket(subject, "Bonjour", [],
                new VisibilityRequest(VisibilityModes.Company, []), _company, false),
            _company, author, new AccessListView(VisibilityModes.Company, [], author.UserId), [],
            CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        return ticket;
    }

    private async Task<TicketDetail> FindAsync(Guid ticket, PortalUser reader) =>
        (await _store.FindAsync(ticket, reader, 50, before: null, CancellationToken.None))!;

    private Task<IReadOnlyList<Guid>> OverdueAsync() => ListAsync(new StaffFilter(false, null, [_team], true));

    private async Task<IReadOnlyList<Guid>> ListAsync(StaffFilter filter) =>
        (await _list.ListAsync(_staff, null, null, 100, null, null, filter, CancellationToken.None))
            .Items.Select(t => t.Id).ToList();

    private async Task<IReadOnlyList<TEvent>> EventsAsync<TEvent>(Guid ticket)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var bodies = await connection.QueryAsync<string>(
            "select body::text from outbox_messages where message_type like @name || ',%' and body->>'ticketId' = @id",
            new { name = typeof(TEvent).FullName, id = ticket.ToString() });
        return bodies.Select(b => System.Text.Json.JsonSerializer.Deserialize<TEvent>(b,
            System.Text.Json.JsonSerializerOptions.Web)!).ToList();
    }
}

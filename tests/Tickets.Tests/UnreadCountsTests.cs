using Dapper;
using Npgsql;
using Portal.AccessProjection;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>
/// The maintained unread counts against their definition (docs/DESIGN.md), counted over every thread: after random
/// openings, messages, reads and access changes, some of them at once and out of order, every reader's count equals
/// the count of the threads they may see whose other side wrote after they last read.
/// </summary>
[Collection(TicketDatabaseCollection.Name)]
public sealed class UnreadCountsTests(TicketDatabase database)
{
    private readonly TicketStore _store = database.Store();
    private readonly UnreadCounts _counts = new(database.DataSource);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_readers_count_is_the_number_of_unread_threads_they_may_see(int seed)
    {
        var world = new World(new Random(seed));
        for (var round = 0; round < 12; round++)
        {
            // Several changes at once, touching the same threads, while the changes are being folded.
            var batch = Enumerable.Range(0, 8).Select(_ => world.NextStep()).ToList();
            await Task.WhenAll(batch.Select(RunAsync).Append(_counts.CompactAsync(CancellationToken.None)));
            await AssertCountsAsync(world.Readers);
        }
        await _counts.CompactAsync(CancellationToken.None);
        await AssertCountsAsync(world.Readers);

        // Counting everything again from the rows (as the migration does) agrees with what was kept.
        await using (var connection = await database.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("select unread_rebuild()");
        await AssertCountsAsync(world.Readers);
    }

    [Fact]
    public async Task A_staff_thread_counts_for_the_members_it_names_and_stops_when_they_are_removed()
    {
        var company = Guid.NewGuid();
        var named = new PortalUser(Guid.NewGuid(), false, company, "Nommée");
        var colleague = new PortalUser(Guid.NewGuid(), false, company, "Collègue");
        var staff = new PortalUser(Guid.NewGuid(), true, null, "Service");
        var ticket = Guid.CreateVersion7();
        await _store.OpenAsync(ticket, new NewTicket("autre", "Bonjour", [],
                new VisibilityRequest(VisibilityModes.Restricted, [named.UserId]), company, false),
            company, staff, new AccessListView(VisibilityModes.Restricted, [new(named.UserId, "Nommée")], staff.UserId),
            [], CancellationToken.None);
        Assert.Equal(1, await _counts.CountAsync(named, CancellationToken.None));
        Assert.Equal(0, await _counts.CountAsync(colleague, CancellationToken.None));

        await ApplyAccessAsync(ticket, company, staff.UserId, VisibilityModes.Restricted, [colleague.UserId], 2);
        Assert.Equal(0, await _counts.CountAsync(named, CancellationToken.None));
        Assert.Equal(1, await _counts.CountAsync(colleague, CancellationToken.None));

        await ApplyAccessAsync(ticket, company, staff.UserId, VisibilityModes.Company, [], 3);
        await _store.MarkReadAsync(ticket, named, CancellationToken.None);
        await _counts.CompactAsync(CancellationToken.None);
        Assert.Equal(0, await _counts.CountAsync(named, CancellationToken.None));
        Assert.Equal(1, await _counts.CountAsync(colleague, CancellationToken.None));
        await AssertCountsAsync([named, colleague, staff]);
    }

    private Task RunAsync(Step step) => step switch
    {
        Step.Open open => _store.OpenAsync(open.Ticket, new NewTicket("autre", "Bonjour", [],
                new VisibilityRequest(open.Mode, open.Named.ToList()), open.Company, false),
            open.Company, open.Author,
            new AccessListView(open.Mode, open.Named.Select(u => new AccessUser(u, "")).ToList(), open.Author.UserId),
            [], CancellationToken.None),
        Step.Post post =>
            _store.PostMessageAsync(post.Ticket, post.Author, "Message", false, [], CancellationToken.None),
        Step.Read read => _store.MarkReadAsync(read.Ticket, read.Reader, CancellationToken.None),
        Step.ChangeAccess change => ApplyAccessAsync(
            change.Ticket, change.Company, change.Creator, change.Mode, change.Named, change.Version),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    // As Access's event reaches the projection: a list older than the one held changes nothing.
    private async Task ApplyAccessAsync(
        Guid ticket, Guid company, Guid creator, string mode, IReadOnlyList<Guid> named, long version)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await TicketAccess.ApplyAsync(transaction, new TicketAccessChanged(
            Guid.NewGuid(), DateTimeOffset.UtcNow, ticket, company, mode, named.ToList(), version, creator));
        await transaction.CommitAsync();
    }

    private async Task AssertCountsAsync(IEnumerable<PortalUser> readers)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var all = readers.ToList();
        // Asked one by one, and all at once as Notifications asks for its streams' badges.
        var together = await _counts.CountsAsync(all, CancellationToken.None);
        for (var i = 0; i < all.Count; i++)
        {
            var counted = await CountedAsync(connection, all[i]);
            Assert.Equal(counted, await _counts.CountAsync(all[i], CancellationToken.None));
            Assert.Equal(counted, together[i]);
        }
    }

    // The definition, written out here on its own: the other side wrote after the reader's marker, and the reader
    // is staff, or of the thread's company and it is in company mode, names them or was opened by them.
    private static Task<long> CountedAsync(NpgsqlConnection connection, PortalUser reader) =>
        connection.ExecuteScalarAsync<long>(
            """
            select count(*) from tickets t
            left join read_markers r on r.ticket_id = t.id and r.user_id = @UserId
            left join ticket_access a on a.ticket_id = t.id
            where (case when @IsStaff then t.last_member_message_at else t.last_staff_message_at end)
                    > coalesce(r.read_at, '-infinity')
                and (@IsStaff or (t.company_id = @CompanyId and a.company_id = @CompanyId
                    and (a.mode = 'company' or a.creator_id = @UserId or @UserId = any(a.user_ids))))
            """, new { reader.UserId, reader.IsStaff, reader.CompanyId });

    private abstract record Step
    {
        public sealed record Open(Guid Ticket, Guid Company, PortalUser Author, string Mode, Guid[] Named) : Step;

        public sealed record Post(Guid Ticket, PortalUser Author) : Step;

        public sealed record Read(Guid Ticket, PortalUser Reader) : Step;

        public sealed record ChangeAccess(
            Guid Ticket, Guid Company, Guid Creator, string Mode, Guid[] Named, long Version) : Step;
    }

    /// <summary>Two companies of three members and two staff, and the threads opened so far.</summary>
    private sealed class World(Random random)
    {
        private readonly List<(Guid Id, Guid Company, Guid Creator, long Versions)> _threads = [];
        private readonly PortalUser[] _staff =
            [new(Guid.NewGuid(), true, null, "Agent 1"), new(Guid.NewGuid(), true, null, "Agent 2")];
        private readonly Dictionary<Guid, PortalUser[]> _members = Enumerable.Range(0, 2)
            .Select(_ => Guid.NewGuid())
            .ToDictionary(c => c, c => Enumerable.Range(1, 3)
                .Select(n => new PortalUser(Guid.NewGuid(), false, c, $"Membre {n}")).ToArray());

        public IEnumerable<PortalUser> Readers => _staff.Concat(_members.Values.SelectMany(m => m));

        public Step NextStep()
        {
            var roll = random.Next(10);
            if (_threads.Count < 3 || roll == 0)
                return Open();
            var index = random.Next(_threads.Count);
            var thread = _threads[index];
            var someone = random.Next(2) == 0 ? Pick(_staff) : Pick(_members[thread.Company]);
            switch (roll)
            {
                case < 5:
                    return new Step.Post(thread.Id, someone);
                case < 8:
                    return new Step.Read(thread.Id, someone);
                default:
                    // Now and then a version already held arrives again, or late.
                    var version = random.Next(4) == 0 ? Math.Max(1, thread.Versions - 1) : thread.Versions + 1;
                    _threads[index] = thread with { Versions = Math.Max(version, thread.Versions) };
                    var (mode, named) = Visibility(thread.Company);
                    return new Step.ChangeAccess(thread.Id, thread.Company, thread.Creator, mode, named, version);
            }
        }

        private Step.Open Open()
        {
            var company = Pick(_members.Keys.ToArray());
            var author = random.Next(3) == 0 ? Pick(_staff) : Pick(_members[company]);
            var (mode, named) = Visibility(company);
            var id = Guid.CreateVersion7();
            _threads.Add((id, company, author.UserId, 1));
            return new Step.Open(id, company, author, mode, named);
        }

        private (string Mode, Guid[] Named) Visibility(Guid company) => random.Next(2) == 0
            ? (VisibilityModes.Company, [])
            : (VisibilityModes.Restricted,
                _members[company].Where(_ => random.Next(2) == 0).Select(m => m.UserId).ToArray());

        private T Pick<T>(T[] items) => items[random.Next(items.Length)];
    }
}

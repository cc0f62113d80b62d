using Microsoft.Extensions.Hosting;
using System.Text;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>
/// Full-text search over titles and every message, one vector per message, against a real PostgreSQL.
/// </summary>
[Collection(TicketDatabaseCollection.Name)]
public sealed class SearchTests
{
    private readonly TicketStore _store;
    private readonly TicketList _list;
    private readonly Guid _company = Guid.NewGuid();
    private readonly PortalUser _member;

    public SearchTests(TicketDatabase database)
    {
        _store = database.Store();
        _list = database.List();
        _member = new PortalUser(Guid.NewGuid(), false, _company, "Membre");
    }

    [Fact]
    public async Task A_thread_of_a_thousand_long_messages_of_distinct_words_accepts_the_next_one_and_finds_them_all()
    {
        var ticket = await OpenAsync("Ouverture");
        for (var i = 0; i < 1000; i++)
        {
            var (outcome, _) = await _store.PostMessageAsync(
                ticket, _member, "commun " + DistinctWords(i, 10_000), false, [], CancellationToken.None);
            Assert.Equal(TicketStore.PostOutcome.Posted, outcome);
        }
        var (last, _) = await _store.PostMessageAsync(ticket, _member,
            "Et un message de plus : l'échafaudage est monté.", false, [], CancellationToken.None);
        Assert.Equal(TicketStore.PostOutcome.Posted, last);

        // A word of every message (searched from the newest threads) and words of one (searched from the index).
        Assert.Contains(ticket, await SearchAsync("commun"));
        Assert.Contains(ticket, await SearchAsync(WordOf(0, 0)));
        Assert.Contains(ticket, await SearchAsync(WordOf(999, 7)));
        Assert.Contains(ticket, await SearchAsync("echafaudage"));
    }

    [Theory]
    [InlineData("batiment2026")]
    [InlineData("BÂTIMENT2026")]
    [InlineData("echafaudage")]
    [InlineData("ÉCHAFAUDAGE")]
    [InlineData("chantier-b12")]
    [InlineData("reparation")]
    public async Task Accents_and_case_fold_for_every_kind_of_token(string query)
    {
        var ticket = await OpenAsync("Le bâtiment2026 attend l'échafaudage du chantier-B12 avant la réparation.");
        Assert.Contains(ticket, await SearchAsync(query));
    }

    [Fact]
    public async Task A_search_finds_the_title_and_any_later_message_and_not_another_thread()
    {
        var ticket = await OpenAsync("Première question");
        await _store.PostMessageAsync(
            ticket, _member, "Deuxième point : la convocation.", false, [], CancellationToken.None);
        var other = await OpenAsync("Sans rapport");

        Assert.Contains(ticket, await SearchAsync("autre demande")); // the subject's label is the title
        var convocation = await SearchAsync("convocation");
        Assert.Contains(ticket, convocation);
        Assert.DoesNotContain(other, convocation);
    }

    private async Task<Guid> OpenAsync(string body)
    {
        var id = Guid.CreateVersion7();
        await _store.OpenAsync(id,
            new NewTicket("autre", body, [], new VisibilityRequest(VisibilityModes.Company, []), _company),
            _company, _member, new AccessListView(VisibilityModes.Company, [], _member.UserId), [],
            CancellationToken.None);
        return id;
    }

    private async Task<IReadOnlyList<Guid>> SearchAsync(string query) =>
        (await _list.ListAsync(_member, null, query, 100, null, null, StaffFilter.None, CancellationToken.None))
            .Items
            .Select(t => t.Id)
            .ToList();

    // Words of letters only, different in every message: "qa", "qb", ... spelled from the message and word numbers.
    private static string WordOf(int message, int word)
    {
        var builder = new StringBuilder("mot");
        for (var n = message * 10_000 + word; n > 0 || builder.Length == 3; n /= 26)
            builder.Append((char)('a' + n % 26));
        return builder.ToString();
    }

    private static string DistinctWords(int message, int length)
    {
        var builder = new StringBuilder(length);
        for (var word = 0; builder.Length < length; word++)
            builder.Append(WordOf(message, word)).Append(' ');
        return builder.ToString(0, length);
    }
}

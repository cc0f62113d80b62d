using Portal.Database;
using Microsoft.Extensions.Hosting;
// Fills a Tickets database of its own (a throw-away PostgreSQL server) with many companies, users,
// threads and messages, then prints EXPLAIN ANALYZE and timings of the list, search and
// unread-count queries exactly as the service builds them.
//   dotnet run --project bench/Tickets.Bench -c Release -- [threads] [messagesPerThread]
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.AccessProjection;
using Portal.Messaging;
using Portal.Testing;
using Portal.Tickets.Data;

var threads = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var perThread = args.Length > 1 ? int.Parse(args[1]) : 5;
const int Companies = 500;
const int UsersPerCompany = 8;
const int Runs = 200;

await using var postgres = await PostgresServer.StartAsync("tickets_bench");
var connectionString = postgres.ConnectionString("tickets_bench") + ";Command Timeout=0";
await using var dataSource = NpgsqlDataSource.Create(connectionString);
await new DatabaseMigrator(dataSource, connectionString,
    [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(TicketStore).Assembly],
    NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);

var staffReader = Guid.NewGuid();
var fill = Stopwatch.StartNew();
await using (var connection = await dataSource.OpenConnectionAsync())
{
    // Users are uuid_generate from (company, n) so that the queries below can name one.
    await connection.ExecuteAsync(
        """
        -- Loaded in bulk with the unread counts' triggers off, then counted once (as the migration does).
        alter table tickets disable trigger user;
        alter table read_markers disable trigger user;
        alter table ticket_access disable trigger user;

        create temporary table bench_users as
        select c, n, md5('company' || c)::uuid as company_id, md5('user' || c || '-' || n)::uuid as user_id
        from generate_series(0, @companies - 1) c, generate_series(0, @users - 1) n;

        insert into tickets (id, company_id, subject_code, title, created_by, created_by_side, status, created_at,
            last_activity_at, team, assignee_id, assignee_name, due_at)
        select md5('ticket' || i)::uuid, md5('company' || (i % @companies))::uuid,
               (array['accueil','rendez-vous','convocation','adhesion','facturation','effectifs','documents',
                      'autre'])[1 + i % 8],
               (array['Mécontentement général lié à l''accueil et la prise en charge',
                      'Demande de rendez-vous ou de visite',
                      'Convocation, report ou annulation de visite','Adhésion et cotisation','Facturation',
                      'Déclaration des effectifs',
                      'Demande de document (attestation, avis)','Autre demande'])[1 + i % 8],
               md5('user' || (i % @companies) || '-' || (i % @users))::uuid, 'member',
               case when i % 5 = 0 then 'closed' else 'open' end,
               now() - make_interval(mins => i * 5), now() - make_interval(mins => i * 5),
               (array['accueil','planification','planification','accueil','gestion','accueil','gestion',
                      'accueil'])[1 + i % 8],
               -- A quarter of the threads assigned to the staff reader, the rest to no one.
               case when i % 4 = 0 then @staffReader end, case when i % 4 = 0 then 'Service' end,
               now() - make_interval(mins => i * 5) + interval '2 days'
        from generate_series(1, @threads) i;

        insert into ticket_access (ticket_id, company_id, creator_id, mode, user_ids, version)
        select t.id, t.company_id, t.created_by,
               case when hashtext(t.id::text) % 3 = 0 then 'restricted' else 'company' end,
               case when hashtext(t.id::text) % 3 = 0 then array[t.created_by, md5('user' || 'x' || t.number)::uuid]
                    else array[t.created_by] end, 1
        from tickets t;

        insert into messages (id, ticket_id, author_id, author_name, author_side, body, requires_reply, created_at,
            search)
        select md5('message' || t.number || '-' || m)::uuid, t.id,
               case when m % 2 = 0 then t.created_by else md5('staff' || (m % 20))::uuid end, 'Auteur',
               case when m % 2 = 0 then 'member' else 'staff' end,
               (array[
                   'Bonjour, nous souhaitons organiser la visite médicale de reprise de notre salarié.',
                   'Merci de nous transmettre l''attestation de suivi et le contrôle de la déclaration des effectifs.',
                   'La facture du trimestre ne correspond pas à notre effectif déclaré.',
                   'Pouvez-vous reporter la convocation prévue la semaine prochaine ?',
                   'Le document demandé est disponible dans votre espace adhérent.',
                   'Nous avons bien reçu votre demande et revenons vers vous rapidement.'])[1 + (t.number + m) % 6]
               || ' Réf. ' || t.number,
               m % 2 = 1 and m = @perThread - 1,
               t.created_at + make_interval(mins => m), ''::tsvector
        from tickets t, generate_series(0, @perThread - 1) m;

        update tickets t set
            last_activity_at = s.last_at, last_member_message_at = s.member_at, last_staff_message_at = s.staff_at,
            last_message_side = s.last_side, last_message_requires_reply = s.last_requires,
            -- One thread in a hundred never answered: the open ones among them are late.
            first_response_at = case when t.number % 100 = 1 then null else s.staff_first_at end
        from (
            select ticket_id, max(created_at) as last_at,
                   max(created_at) filter (where author_side = 'member') as member_at,
                   max(created_at) filter (where author_side = 'staff') as staff_at,
                   min(created_at) filter (where author_side = 'staff') as staff_first_at,
                   (array_agg(author_side order by created_at desc))[1] as last_side,
                   (array_agg(requires_reply order by created_at desc))[1] as last_requires
            from messages group by ticket_id) s
        where s.ticket_id = t.id;

        -- Each message its own vector, the opening one with the thread's title, as the service writes them.
        update messages m set search =
            case when m.created_at = t.created_at then setweight(to_tsvector('french_unaccent', t.title), 'A')
                else ''::tsvector end
            || to_tsvector('french_unaccent', m.body)
        from tickets t where t.id = m.ticket_id;

        insert into read_markers (ticket_id, user_id, side, read_at)
        select t.id, t.created_by, 'member', t.last_activity_at - interval '1 minute' * (t.number % 3) from tickets t;
        -- A staff reader who has read a third of the threads.
        insert into read_markers (ticket_id, user_id, side, read_at)
        select t.id, @staffReader, 'staff', t.last_activity_at from tickets t where t.number % 3 = 0;

        alter table tickets enable trigger user;
        alter table read_markers enable trigger user;
        alter table ticket_access enable trigger user;
        select unread_rebuild();
        """, new { companies = Companies, users = UsersPerCompany, threads, perThread, staffReader });
    await connection.ExecuteAsync("vacuum analyze");
}
Console.WriteLine($"filled {threads:N0} threads, {threads * perThread:N0} messages, {Companies} companies x "
    + $"{UsersPerCompany} users in {fill.Elapsed.TotalSeconds:F1} s");

var member = new PortalUser(
    Guid.Parse(await Scalar("select md5('user' || 7 || '-' || 3)::uuid::text")), false,
    Guid.Parse(await Scalar("select md5('company' || 7)::uuid::text")), "Membre");
var staff = new PortalUser(staffReader, true, null, "Service");

await ExplainAsync("member: list, newest first (page 1)", TicketList.Query(member, null, null, 21, null, null));
await ExplainAsync("member: filter unread", TicketList.Query(member, "unread", null, 21, null, null));
await ExplainAsync("member: filter action_required", TicketList.Query(member, "action_required", null, 21, null, null));
await ExplainAsync("member: search « controle »", await SearchQueryAsync(member, "controle"));
await ExplainAsync("member: unread count", UnreadCounts.Query(member));
await ExplainAsync("staff: list, newest first (page 1)", TicketList.Query(staff, null, null, 21, null, null));
await ExplainAsync("staff: list, page 50 by cursor",
    TicketList.Query(staff, null, null, 21, await CursorAtAsync(1000), null));
await ExplainAsync("staff: filter action_required", TicketList.Query(staff, "action_required", null, 21, null, null));
await ExplainAsync("staff: search « facture trimestre »", await SearchQueryAsync(staff, "facture trimestre"));
await ExplainAsync("staff: search « Réf. 4242 » (one thread)", await SearchQueryAsync(staff, "4242"));
await ExplainAsync("probe: how rare is « controle »",
    (TicketList.RareProbe, new { search = "controle", bound = TicketList.RareSearchMessages }));
await ExplainAsync("probe: how rare is « 4242 »",
    (TicketList.RareProbe, new { search = "4242", bound = TicketList.RareSearchMessages }));
await ExplainAsync("staff: unread count", UnreadCounts.Query(staff));
await ExplainAsync("staff: team « gestion »", TicketList.Query(staff, null, null, 21, null, null,
    staff: new StaffFilter(false, null, ["gestion"], false)));
await ExplainAsync("staff: assigned to me, unread", TicketList.Query(staff, "unread", null, 21, null, null,
    staff: new StaffFilter(false, staffReader, null, false)));
await ExplainAsync("staff: unassigned", TicketList.Query(staff, null, null, 21, null, null,
    staff: new StaffFilter(true, null, null, false)));
await ExplainAsync("staff: overdue", TicketList.Query(staff, null, null, 21, null, null,
    staff: new StaffFilter(false, null, null, true), now: DateTime.UtcNow));

async Task ExplainAsync(string name, (string Sql, object Parameters) query)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    var plan = (await connection.QueryAsync<string>("explain (analyze, buffers) " + query.Sql, query.Parameters))
        .ToList();
    var timings = new List<double>();
    for (var i = 0; i < Runs; i++)
    {
        var clock = Stopwatch.StartNew();
        await connection.QueryAsync(query.Sql, query.Parameters);
        timings.Add(clock.Elapsed.TotalMilliseconds);
    }
    timings.Sort();
    Console.WriteLine($"\n=== {name}: median {timings[Runs / 2]:F2} ms, p99 {timings[Runs * 99 / 100]:F2} ms, "
        + $"max {timings[^1]:F2} ms over {Runs} runs (client side)");
    foreach (var line in plan)
        Console.WriteLine("    " + line);
}

// As the service does: a bounded probe of the words' index chooses the query's shape.
async Task<(string Sql, object Parameters)> SearchQueryAsync(PortalUser reader, string search)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return TicketList.Query(reader, null, search, 21, null, null,
        await TicketList.IsRareAsync(connection, search, CancellationToken.None));
}

async Task<(DateTime, Guid)?> CursorAtAsync(int offset)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    var row = await connection.QuerySingleAsync<(DateTime At, Guid Id)>(
        "select last_activity_at, id from tickets order by last_activity_at desc, id desc offset @offset limit 1",
        new { offset });
    return row;
}

async Task<string> Scalar(string sql)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return (await connection.ExecuteScalarAsync<string>(sql))!;
}

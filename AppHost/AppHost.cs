using Portal.AppHost;
using Portal.Contracts;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder);

// Infrastructure: every server a local process, no container
// Reached directly, not through DCP's proxies: every query of every service is a hop.
var postgres = builder.AddLocalPostgres(
    "postgres", settings.DataDirectory, settings.Durable, FreePort.Next());
var accessDb = postgres.AddDatabase("access-db", owner: "access");
var ticketsDb = postgres.AddDatabase("tickets-db", owner: "tickets");
var attachmentsDb = postgres.AddDatabase("attachments-db", owner: "attachments");
var notificationsDb = postgres.AddDatabase("notifications-db", owner: "notifications");
var webDb = postgres.AddDatabase("web-db", owner: "web");

// One broker account per part: it publishes only the events it owns and reads only those it consumes.
var brokerPort = settings.RabbitMqPort ?? (settings.Cluster ? FreePort.Next() : null);
var rabbitmq = builder.AddLocalRabbitMq(
    "rabbitmq", settings.DataDirectory, brokerPort, settings.RabbitMqManagementPort);
if (settings.Cluster)
    rabbitmq.WithPeers(settings.DataDirectory, brokerPort!.Value, settings.BrokerPeerPorts());
var accessBroker = rabbitmq.AddAccount("access", typeof(TicketOpened));
var ticketsBroker = rabbitmq.AddAccount("tickets", typeof(TicketAccessChanged));
var attachmentsBroker = rabbitmq.AddAccount("attachments", typeof(MessagePosted), typeof(TicketAccessChanged));
var notificationsBroker = rabbitmq.AddAccount("notifications",
    typeof(DirectoryUserChanged), typeof(TicketAccessChanged), typeof(TicketOpened), typeof(MessagePosted),
    typeof(TicketClosed), typeof(TicketRead), typeof(TicketAssigned));
var gatewayBroker = rabbitmq.AddAccount("gateway");
var blobs = builder.AddLocalAzurite("blobs", settings.DataDirectory);
var smtp = builder.AddLocalMailDev("smtp", settings.DataDirectory, settings.MailInboxPort);

// Services, each on a port of its own that all its instances share (PortalProject).
PortalProject AddPart<TProject>(string name, int? port = null) where TProject : IProjectMetadata, new() =>
    builder.AddPortalProject<TProject>(name, settings.InstancesOf(name), port ?? FreePort.Next())
        .Each(instance => instance.WithServiceHealthCheck());

var access = AddPart<Projects.Access>("access")
    .Each(instance => instance
        .WithReference(accessDb).WaitFor(accessDb)
        .WithReference(accessBroker, "rabbitmq").WaitFor(accessBroker));

var attachments = AddPart<Projects.Attachments>("attachments")
    .Each(instance => instance
        .WithReference(attachmentsDb).WaitFor(attachmentsDb)
        .WithReference(attachmentsBroker, "rabbitmq").WaitFor(attachmentsBroker)
        .WithReference(blobs).WaitFor(blobs)
        .WithReference(access.Resource));

var tickets = AddPart<Projects.Tickets>("tickets")
    .Each(instance => instance
        .WithReference(ticketsDb).WaitFor(ticketsDb)
        .WithReference(ticketsBroker, "rabbitmq").WaitFor(ticketsBroker)
        .WithReference(access.Resource)
        .WithReference(attachments.Resource));

// Two instances even in the default topology: a live stream held by one hears what the other handled (through
// PostgreSQL's LISTEN).
var notifications = AddPart<Projects.Notifications>("notifications")
    .Each(instance => instance
        .WithReference(notificationsDb).WaitFor(notificationsDb)
        .WithReference(notificationsBroker, "rabbitmq").WaitFor(notificationsBroker)
        .WithReference(smtp).WaitFor(smtp)
        .WithReference(access.Resource)
        .WithReference(tickets.Resource));

// Gateway. No proxy of DCP's in front of it either: the gateway sees who calls it, and believes only the web
// front end's X-Forwarded-For.
var gateway = AddPart<Projects.Gateway>("gateway", settings.GatewayPort)
    .Each(instance => instance
        .WithEnvironment("Gateway__TrustedProxies__0", settings.WebSourceAddress)
        .WithReference(gatewayBroker, "rabbitmq").WaitFor(gatewayBroker)
        .WithReference(access.Resource).WaitFor(access.Resource)
        .WithReference(tickets.Resource).WaitFor(tickets.Resource)
        .WithReference(attachments.Resource).WaitFor(attachments.Resource)
        .WithReference(notifications.Resource).WaitFor(notifications.Resource));

// Each service's own credentials for internal calls (and for reading revoked tokens from Access).
foreach (var service in new[] { access, tickets, attachments, notifications, gateway })
    service.WithServiceIdentity(access);

// The web front end, reached through the gateway at /, calling the API through the gateway like any other front end.
// Sessions, drafts and Data Protection keys live in its database: any instance, or a restarted one, carries on
// where another was.
var web = AddPart<Projects.Web>("web")
    .Each(instance => instance
        .WithEnvironment("Portal__ApiUrl", gateway.Endpoint)
        .WithEnvironment("Portal__SourceAddress", settings.WebSourceAddress)
        .WithReference(webDb).WaitFor(webDb));
gateway.Each(instance => instance.WithReference(web.Resource));

if (settings.ClockFile is { } clockFile)
    tickets.Each(instance => instance.WithEnvironment("Tickets__ClockFile", clockFile));

// E-mails link to the portal, reached through the gateway.
notifications.Each(instance => instance.WithEnvironment("Notifications__PortalUrl", gateway.Endpoint));

PortalProject[] parts = [access, tickets, attachments, notifications, gateway, web];
if (settings.TelemetryEndpoint is { } telemetry)
{
    foreach (var part in parts)
    {
        part.Each(instance => instance.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry)
            .WithEnvironment("OTEL_SERVICE_NAME", part.Name)
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000"));
    }
}

PerformanceProfile.Apply(settings, access, gateway, parts);

if (settings.MaxAttachmentSize is { } maxAttachmentSize)
{
    attachments.Each(instance => instance.WithEnvironment("Attachments__MaxFileSize", maxAttachmentSize.ToString()));
    // Room for the multipart framing around the file.
    gateway.Each(instance => instance.WithEnvironment(
        "ReverseProxy__Routes__attachments__Metadata__BodyLimit", (maxAttachmentSize + 64 * 1024).ToString()));
}

// A process that fails (a crash, SIGKILL) is started again, as a supervisor would: DCP starts nothing again.
builder.Supervise(parts.SelectMany(p => p.Instances).Select(i => (IResource)i.Resource)
    .Append(rabbitmq.Resource).Concat(rabbitmq.Resource.Peers));

builder.Build().Run();

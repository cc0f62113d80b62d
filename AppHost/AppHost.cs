using Portal.AppHost;
using Portal.Contracts;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder);

// Infrastructure: every server a local process, no container
// Reached directly, not through DCP's proxies: every query of every service is a hop.
var postgres = builder.AddLocalPostgres(
    "postgres", settings.DataDirectory, settings.Durable, AppHostSettings.FreePort());
var accessDb = postgres.AddDatabase("access-db", owner: "access");
var ticketsDb = postgres.AddDatabase("tickets-db", owner: "tickets");
var attachmentsDb = postgres.AddDatabase("attachments-db", owner: "attachments");
var notificationsDb = postgres.AddDatabase("notifications-db", owner: "notifications");
var webDb = postgres.AddDatabase("web-db", owner: "web");

// One broker account per part: it publishes only the events it owns and reads only those it consumes.
var rabbitmq = builder.AddLocalRabbitMq(
    "rabbitmq", settings.DataDirectory, settings.RabbitMqPort, settings.RabbitMqManagementPort);
var accessBroker = rabbitmq.AddAccount("access", typeof(TicketOpened));
var ticketsBroker = rabbitmq.AddAccount("tickets", typeof(TicketAccessChanged));
var attachmentsBroker = rabbitmq.AddAccount("attachments", typeof(MessagePosted), typeof(TicketAccessChanged));
var notificationsBroker = rabbitmq.AddAccount("notifications",
    typeof(DirectoryUserChanged), typeof(TicketAccessChanged), typeof(TicketOpened), typeof(MessagePosted),
    typeof(TicketClosed), typeof(TicketRead), typeof(TicketAssigned));
var gatewayBroker = rabbitmq.AddAccount("gateway");
var blobs = builder.AddLocalAzurite("blobs", settings.DataDirectory);
var smtp = builder.AddLocalMailDev("smtp", settings.DataDirectory, settings.MailInboxPort);

// Services
var access = builder.AddProject<Projects.Access>("access")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint(port: AppHostSettings.FreePort(), isProxied: false)
    .WithReference(accessDb).WaitFor(accessDb)
    .WithReference(accessBroker, "rabbitmq").WaitFor(accessBroker)
    .WithServiceHealthCheck();

var attachments = builder.AddProject<Projects.Attachments>("attachments")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint(port: AppHostSettings.FreePort(), isProxied: false)
    .WithReference(attachmentsDb).WaitFor(attachmentsDb)
    .WithReference(attachmentsBroker, "rabbitmq").WaitFor(attachmentsBroker)
    .WithReference(blobs).WaitFor(blobs)
    .WithReference(access)
    .WithServiceHealthCheck();

var tickets = builder.AddProject<Projects.Tickets>("tickets")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint(port: AppHostSettings.FreePort(), isProxied: false)
    .WithReference(ticketsDb).WaitFor(ticketsDb)
    .WithReference(ticketsBroker, "rabbitmq").WaitFor(ticketsBroker)
    .WithReference(access)
    .WithReference(attachments)
    .WithServiceHealthCheck();

var notifications = builder.AddProject<Projects.Notifications>("notifications")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    // Behind DCP's proxy: two replicas share one address (Aspire allows no replicas on direct endpoints).
    .WithHttpEndpoint()
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(notificationsBroker, "rabbitmq").WaitFor(notificationsBroker)
    .WithReference(smtp).WaitFor(smtp)
    .WithReference(access)
    .WithReference(tickets)
    // Two instances: a live stream held by one hears what the other handled (through PostgreSQL's LISTEN).
    .WithReplicas(2)
    .WithServiceHealthCheck();

// Gateway
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    // Not behind a proxy of DCP's: the gateway sees who calls it, and believes only the web front end's
    // X-Forwarded-For.
    .WithHttpEndpoint(port: settings.GatewayPort, isProxied: false)
    .WithEnvironment("Gateway__TrustedProxies__0", settings.WebSourceAddress)
    .WithReference(gatewayBroker, "rabbitmq").WaitFor(gatewayBroker)
    .WithReference(access).WaitFor(access)
    .WithReference(tickets).WaitFor(tickets)
    .WithReference(attachments).WaitFor(attachments)
    .WithReference(notifications).WaitFor(notifications)
    .WithServiceHealthCheck();

// Each service's own credentials for internal calls (and for reading revoked tokens from Access).
foreach (var service in new[] { access, tickets, attachments, notifications, gateway })
    service.WithServiceIdentity(access);

// The web front end, reached through the gateway at /, calling the API through the gateway like any other front end.
var web = builder.AddProject<Projects.Web>("web")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint(port: AppHostSettings.FreePort(), isProxied: false)
    .WithEnvironment("Portal__ApiUrl", gateway.GetEndpoint("http"))
    .WithEnvironment("Portal__SourceAddress", settings.WebSourceAddress)
    // Sessions, drafts and Data Protection keys: any instance, or a restarted one, carries on where another was.
    .WithReference(webDb).WaitFor(webDb)
    .WithServiceHealthCheck();
gateway.WithReference(web);

if (settings.ClockFile is { } clockFile)
    tickets.WithEnvironment("Tickets__ClockFile", clockFile);

// E-mails link to the portal, reached through the gateway.
notifications.WithEnvironment("Notifications__PortalUrl", gateway.GetEndpoint("http"));

if (settings.TelemetryEndpoint is { } telemetry)
{
    foreach (var project in new[] { access, tickets, attachments, notifications, gateway, web })
    {
        project.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry)
            .WithEnvironment("OTEL_SERVICE_NAME", project.Resource.Name)
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000");
    }
}

PerformanceProfile.Apply(settings, access, gateway, [access, tickets, attachments, notifications, gateway, web]);

if (settings.MaxAttachmentSize is { } maxAttachmentSize)
{
    attachments.WithEnvironment("Attachments__MaxFileSize", maxAttachmentSize.ToString());
    // Room for the multipart framing around the file.
    gateway.WithEnvironment(
        "ReverseProxy__Routes__attachments__Metadata__BodyLimit", (maxAttachmentSize + 64 * 1024).ToString());
}

builder.Build().Run();

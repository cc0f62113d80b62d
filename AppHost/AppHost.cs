using Portal.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder);

// Infrastructure: every server a local process, no container
var postgres = builder.AddLocalPostgres("postgres", settings.DataDirectory, settings.Durable);
var accessDb = postgres.AddDatabase("access-db");
var ticketsDb = postgres.AddDatabase("tickets-db");
var attachmentsDb = postgres.AddDatabase("attachments-db");
var notificationsDb = postgres.AddDatabase("notifications-db");

var rabbitmq = builder.AddLocalRabbitMq("rabbitmq", settings.DataDirectory, settings.RabbitMqPort, settings.RabbitMqManagementPort);
var blobs = builder.AddLocalAzurite("blobs", settings.DataDirectory);
var smtp = builder.AddLocalMailDev("smtp", settings.DataDirectory, settings.MailInboxPort);

// Services
var access = builder.AddProject<Projects.Access>("access")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint()
    .WithReference(accessDb).WaitFor(accessDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithHttpHealthCheck("/health");

var attachments = builder.AddProject<Projects.Attachments>("attachments")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint()
    .WithReference(attachmentsDb).WaitFor(attachmentsDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(blobs).WaitFor(blobs)
    .WithReference(access)
    .WithHttpHealthCheck("/health");

var tickets = builder.AddProject<Projects.Tickets>("tickets")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint()
    .WithReference(ticketsDb).WaitFor(ticketsDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(access)
    .WithReference(attachments)
    .WithHttpHealthCheck("/health");

var notifications = builder.AddProject<Projects.Notifications>("notifications")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint()
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(smtp).WaitFor(smtp)
    .WithReference(access)
    .WithReference(tickets)
    // Two instances: a live stream held by one hears what the other handled (through PostgreSQL's LISTEN).
    .WithReplicas(2)
    .WithHttpHealthCheck("/health");

// Gateway
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint(port: settings.GatewayPort)
    .WithReference(access).WaitFor(access)
    .WithReference(tickets).WaitFor(tickets)
    .WithReference(attachments).WaitFor(attachments)
    .WithReference(notifications).WaitFor(notifications)
    .WithHttpHealthCheck("/health");

// The web front end, reached through the gateway at /, calling the API through the gateway like any other front end.
var web = builder.AddProject<Projects.Web>("web")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithHttpEndpoint()
    .WithEnvironment("Portal__ApiUrl", gateway.GetEndpoint("http"))
    .WithHttpHealthCheck("/health");
gateway.WithReference(web);

// E-mails link to the portal, reached through the gateway.
notifications.WithEnvironment("Notifications__PortalUrl", gateway.GetEndpoint("http"));

if (settings.MaxAttachmentSize is { } maxAttachmentSize)
{
    attachments.WithEnvironment("Attachments__MaxFileSize", maxAttachmentSize.ToString());
    // Room for the multipart framing around the file.
    gateway.WithEnvironment("ReverseProxy__Routes__attachments__MaxRequestBodySize", (maxAttachmentSize + 64 * 1024).ToString());
}

builder.Build().Run();

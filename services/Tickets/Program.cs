using Portal.Tickets;
using Portal.Tickets.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPortalOpenApi("Tickets");

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapPortalOpenApi();
app.MapGroup("").ProducesPortalProblems().MapTicketsApi().MapContentCheckApi().MapStaffApi()
    .MapReplyTemplatesApi().MapReadTrailApi().MapUnreadCountsApi();

app.Run();

public partial class Program;

using Portal.Notifications;
using Portal.Notifications.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPortalOpenApi("Notifications");

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapPortalOpenApi();
app.MapGroup("").ProducesPortalProblems().MapNotificationsApi();

app.Run();

public partial class Program;

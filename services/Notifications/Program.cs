using Portal.Notifications;
using Portal.Notifications.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapNotificationsApi();

app.Run();

public partial class Program;

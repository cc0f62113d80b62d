using Portal.Tickets;
using Portal.Tickets.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapTicketsApi();

app.Run();

public partial class Program;

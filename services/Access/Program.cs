using Portal.Access;
using Portal.Access.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapAccessApi();

app.Run();

public partial class Program;

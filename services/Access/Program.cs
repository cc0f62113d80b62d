using Portal.Access;
using Portal.Access.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPortalOpenApi("Access");

var app = builder.Build();

app.UseForwardedHeaders();
app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapPortalOpenApi();
app.MapGroup("").ProducesPortalProblems().MapAccessApi();

app.Run();

public partial class Program;

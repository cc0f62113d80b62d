using Portal.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseCors();
app.UsePortalDefaults();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapGatewayEndpoints();

app.Run();

public partial class Program;

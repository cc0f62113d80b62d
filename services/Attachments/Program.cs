using Portal.Attachments;
using Portal.Attachments.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapAttachmentsApi();

app.Run();

public partial class Program;

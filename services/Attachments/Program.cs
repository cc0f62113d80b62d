using Portal.Attachments;
using Portal.Attachments.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddPortalOpenApi("Attachments");

var app = builder.Build();

app.UsePortalDefaults();
app.MapDefaultEndpoints();
app.MapPortalOpenApi();
app.MapGroup("").ProducesPortalProblems().MapAttachmentsApi();

app.Run();

public partial class Program;

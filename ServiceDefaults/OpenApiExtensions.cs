using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Portal.ServiceDefaults;

/// <summary>
/// Each service describes its public API (<c>/openapi/v1.json</c>, which the gateway serves as
/// <c>/openapi/&lt;service&gt;.json</c>): the routes under <c>/api</c> and <c>/.well-known</c>, their
/// types, their <c>problem+json</c> errors and the bearer token they require.
/// </summary>
public static class OpenApiExtensions
{
    public static IHostApplicationBuilder AddPortalOpenApi(this IHostApplicationBuilder builder, string title)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description =>
                description.RelativePath is { } path && (path.StartsWith("api/", StringComparison.Ordinal)
                    || path.StartsWith(".well-known/", StringComparison.Ordinal));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = $"Portal — {title}",
                    Version = "v1",
                    Description =
                        "PÔLE SANTÉ TRAVAIL's member space. Errors are application/problem+json with a stable `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from POST /api/auth/token.",
                };
                return Task.CompletedTask;
            });
            // Every operation needs the token except those that allow anonymous callers.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata
                    .OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>()
                    .Any();
                if (!anonymous)
                {
                    operation.Security = [new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = []
                    }];
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>The errors every API route may answer, as <c>problem+json</c>.</summary>
    public static TBuilder ProducesPortalProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static WebApplication MapPortalOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}

using Portal.Database;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Access.Consumers;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Access.Tokens;
using Portal.Messaging;

namespace Portal.Access;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("access-db", typeof(Extensions).Assembly);
        if (builder.Environment.IsDevelopment() || builder.Configuration.GetValue<bool>("Access:SeedDemoDirectory"))
        {
            builder.Services.AddOptions<LoadDirectoryOptions>().BindConfiguration("Demo:Load");
            builder.Services.AddHostedService<DemoDirectory>();
        }
        builder.AddPortalMessaging("access", x => x.AddConsumer<TicketOpenedConsumer>());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AccessTokenOptions>().BindConfiguration("Tokens");
        builder.Services.AddSingleton<IPasswordHasher<DirectoryUser>, PasswordHasher<DirectoryUser>>();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddOptions<SignInBudgetOptions>().BindConfiguration("SignIn");
        builder.Services.AddSingleton<SignInBudgets>();
        builder.Services.AddSingleton<DirectoryStore>();
        builder.Services.AddSingleton<AccessListStore>();
        builder.Services.AddSingleton<RevocationStore>();
        // Access reads the deny-list from its own table, not over HTTP from itself.
        builder.Services.Replace(
            ServiceDescriptor.Singleton<IRevocationSource>(sp => sp.GetRequiredService<RevocationStore>()));
        builder.Services.AddOptions<ServiceClientOptions>().BindConfiguration("ServiceClients");
        builder.Services.AddSingleton<ServiceClients>();

        // Access trusts the keys it holds rather than fetching its own discovery document.
        foreach (var scheme in new[] { JwtBearerDefaults.AuthenticationScheme, ServiceIdentity.Scheme })
        {
            builder.Services.AddOptions<JwtBearerOptions>(scheme)
                .Configure<SigningKeyStore, IOptions<AccessTokenOptions>>((options, keys, tokens) =>
                {
                    options.Authority = null;
                    options.MetadataAddress = null!;
                    if (scheme == JwtBearerDefaults.AuthenticationScheme)
                        options.Audience = tokens.Value.Audience;
                    options.TokenValidationParameters.ValidIssuer = tokens.Value.Issuer;
                    options.ConfigurationManager = new KeyStoreConfigurationManager(keys, tokens);
                });
        }

        // Links in the discovery document name the address the caller used, the gateway's included;
        // sign-in budgets count the client the gateway believes (FrontDoor sets X-Forwarded-For).
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
            options.ForwardedHeaders =
                ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor);
    }
}

using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Portal.Notifications.Apis;

public sealed record Preferences(bool Email);

public sealed record PreferencesRequest(bool? Email);

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications");
        api.MapGet("/preferences", GetPreferencesAsync);
        api.MapPut("/preferences", SetPreferencesAsync);
        return app;
    }

    // E-mail is on until the user turns it off.
    public static async Task<Ok<Preferences>> GetPreferencesAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var email = await connection.ExecuteScalarAsync<bool?>("select email from preferences where user_id = @id", new { id = user.UserId() });
        return TypedResults.Ok(new Preferences(email ?? true));
    }

    public static async Task<Results<Ok<Preferences>, ValidationProblem>> SetPreferencesAsync(
        PreferencesRequest request, ClaimsPrincipal user, NpgsqlDataSource dataSource)
    {
        if (request.Email is not { } email)
            return Problems.Validation("preferences.email_required", "email", "Indiquez si vous souhaitez être prévenu par e-mail.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into preferences (user_id, email) values (@id, @email)
            on conflict (user_id) do update set email = excluded.email, updated_at = now()
            """, new { id = user.UserId(), email });
        return TypedResults.Ok(new Preferences(email));
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Tickets.Data;

namespace Portal.Tickets.Apis;

/// <param name="CompanyId">A member's company (staff have none).</param>
public sealed record BadgeReader(Guid UserId, bool Staff, Guid? CompanyId);

public sealed record UnreadCountsRequest(IReadOnlyList<BadgeReader?>? Readers);

public sealed record ReaderUnreadCount(Guid UserId, long Count);

/// <summary>
/// The badges of many readers at once, for Notifications: it holds the live streams of people it has authenticated,
/// and asks for all their badges in one call rather than one call per stream.
/// </summary>
public static class UnreadCountsApi
{
    public const int MaxReaders = 1000;

    public static IEndpointRouteBuilder MapUnreadCountsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/unread-counts", CountAsync).RequireService("notifications");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ReaderUnreadCount>>, ValidationProblem>> CountAsync(
        UnreadCountsRequest request, UnreadCounts counts, CancellationToken ct)
    {
        if (request.Readers is not { Count: > 0 and <= MaxReaders } readers
            || readers.Any(r => r is null || r.UserId == Guid.Empty || (!r.Staff && r.CompanyId is null)))
            return Problems.Validation("unread.readers_invalid", "readers",
                $"De 1 à {MaxReaders} lecteurs, chacun avec son identifiant, et son entreprise pour un adhérent.");
        var people = readers.Select(r => new PortalUser(r!.UserId, r.Staff, r.Staff ? null : r.CompanyId, ""))
            .ToList();
        var found = await counts.CountsAsync(people, ct);
        return TypedResults.Ok<IReadOnlyList<ReaderUnreadCount>>(
            people.Select((p, i) => new ReaderUnreadCount(p.UserId, found[i])).ToList());
    }
}

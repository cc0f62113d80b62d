using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

public sealed record TrailUserView(Guid Id, string DisplayName, string Side);

public sealed record TrailEntryView(TrailUserView User, string What, Guid? AttachmentId, DateTime At)
{
    public static TrailEntryView From(TrailEntry e) =>
        new(new TrailUserView(e.UserId, e.DisplayName, e.Side), e.What, e.AttachmentId, e.At);
}

/// <summary>
/// A thread's read trail (« Consultations »): its openings, kept here, and its files' downloads, kept by
/// Attachments. Staff read all of it, a member the lines of their own company. There is no way to change it.
/// </summary>
public static class ReadTrailApi
{
    public static IEndpointRouteBuilder MapReadTrailApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tickets/{ticketId:guid}/reads", GetAsync);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<TrailEntryView>>, FileContentHttpResult, ProblemHttpResult,
        ValidationProblem>> GetAsync(
        Guid ticketId, string? format, ClaimsPrincipal user, TicketStore tickets, ReadTrail trail,
        AttachmentsClient attachments, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv"))
            return Problems.Validation("trail.format_unknown", "format", "Format inconnu : json ou csv.");
        var reader = PortalUser.From(user);
        if (!await tickets.IsVisibleAsync(ticketId, reader, ct))
            return Problems.NotFound("ticket");
        var lines = (await trail.OpeningsAsync(ticketId, ct))
            .Concat(await attachments.DownloadsAsync(ticketId, ct))
            .Where(e => reader.IsStaff || (e.Side == Sides.Member && e.CompanyId == reader.CompanyId))
            .OrderByDescending(e => e.At)
            .Select(TrailEntryView.From)
            .ToList();
        if (format == "csv")
            return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(lines))).ToArray(),
                "text/csv; charset=utf-8", $"consultations-{ticketId}.csv");
        return TypedResults.Ok<IReadOnlyList<TrailEntryView>>(lines);
    }

    private static string Csv(IEnumerable<TrailEntryView> lines)
    {
        var csv = new StringBuilder("at,user_id,display_name,side,what,attachment_id\r\n");
        foreach (var line in lines)
            csv.AppendJoin(',',
                    line.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    line.User.Id.ToString(), Cell(line.User.DisplayName), line.User.Side, line.What,
                    line.AttachmentId?.ToString() ?? "")
                .Append("\r\n");
        return csv.ToString();
    }

    // RFC 4180 quoting, and a leading formula character defused: a spreadsheet must not run a name.
    private static string Cell(string text)
    {
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0]))
            text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}

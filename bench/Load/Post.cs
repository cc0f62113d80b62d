using System.Diagnostics;
using System.Net.Http.Json;

namespace Portal.Load;

/// <summary>
/// One message of the run: due at <see cref="Due"/> (Stopwatch ticks), answered at <see cref="Done"/>.
/// </summary>
public sealed class Post(int index, Guid ticketId, Guid companyId, Person author, long due)
{
    public Guid TicketId => ticketId;

    public Guid CompanyId => companyId;

    public Person Author => author;

    public long Due => due;

    public long Done { get; private set; }

    /// <summary>The HTTP status, or 0 when no answer came (connection refused, timeout).</summary>
    public int Status { get; private set; }

    /// <summary>
    /// From when it was due (not when it left: a late start is the system's delay too) to its answer.
    /// </summary>
    public double LatencyMs => Stopwatch.GetElapsedTime(due, Done).TotalMilliseconds;

    public async Task SendAsync()
    {
        try
        {
            using var response = await author.Gateway.PostAsJsonAsync($"/api/tickets/{ticketId}/messages", new
            {
                body = $"Message de charge n° {index} : merci de votre retour sur ce dossier.",
                attachmentIds = Array.Empty<Guid>(),
            });
            Status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Status = 0;
        }
        Done = Stopwatch.GetTimestamp();
    }
}

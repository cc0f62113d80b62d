using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

/// <summary>The SMTP server's inbox (MailDev's API), as the tests read it.</summary>
public static class Mailbox
{
    public static async Task<IReadOnlyList<JsonElement>> AllAsync(PortalApp portal)
    {
        using var inbox = new HttpClient { BaseAddress = portal.App.GetEndpoint("smtp", "http") };
        return (await inbox.GetFromJsonAsync<JsonElement>("/api/email")).EnumerateArray().ToList();
    }

    /// <summary>The e-mails to <paramref name="address"/> that link to the thread.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EmailsAsync(PortalApp portal, string address, Guid ticket) =>
        (await AllAsync(portal))
            .Where(m => m.GetProperty("to").EnumerateArray()
                .Any(to => to.GetProperty("address").GetString() == address))
            .Where(m => m.GetProperty("text").GetString()!.Contains(ticket.ToString()))
            .ToList();

    public static async Task<JsonElement> WaitForEmailAsync(PortalApp portal, string address, Guid ticket)
    {
        IReadOnlyList<JsonElement> mails = [];
        await Eventually.TrueAsync(async () => (mails = await EmailsAsync(portal, address, ticket)).Count > 0,
            within: TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(100));
        return mails[0];
    }
}

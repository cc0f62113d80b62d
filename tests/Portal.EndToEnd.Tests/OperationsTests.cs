using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>What operators read: each process's metrics (as the dashboard receives them) and health.</summary>
[Collection(PortalCollection.Name)]
public sealed class OperationsTests(PortalApp portal)
{
    private static readonly string[] Services = ["access", "tickets", "attachments", "notifications"];

    [Fact]
    public async Task Each_service_counts_what_it_did_and_samples_its_backlog_in_its_metrics()
    {
        var telemetry = portal.Telemetry;
        double Opened() => telemetry.Total("portal.threads.opened", "tickets", a => a["portal.side"] == "member");
        double Replied() => telemetry.Total("portal.messages.posted", "tickets", a => a["portal.side"] == "staff");
        double Failed() =>
            telemetry.Total("portal.sign_in.attempts", "access", a => a["portal.sign_in.outcome"] == "failed");
        double Uploaded() => telemetry.Total("portal.upload.size", "attachments");
        double Pushed() => telemetry.Total("portal.notification.delivery.duration", "notifications");
        double Mailed() => telemetry.Total("portal.emails.sent", "notifications");
        var before = (Opened(), Replied(), Failed(), Uploaded(), Pushed(), Mailed());

        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);
        (await marc.PutAsJsonAsync("/api/notifications/preferences", new { email = true })).EnsureSuccessStatusCode();
        await using var stream = await LiveStream.OpenAsync(portal, Demo.Marc);
        using (var gateway = portal.Gateway())
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await gateway.PostAsJsonAsync(
                    "/api/auth/token", new { email = "personne@metrics.example", password = "faux" })).StatusCode);
        var upload = await Api.UploadAsync(marc, [.. "%PDF-1.7\n"u8, .. new byte[2048]], "releve.pdf");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var ticket = await Api.OpenThreadAsync(marc, "Où en est notre relevé ?");
        (await thomas.PostAsJsonAsync($"/api/tickets/{ticket}/messages", new { body = "Il part demain." }))
            .EnsureSuccessStatusCode();
        await stream.NextAsync("notification");

        await Eventually.TrueAsync(() =>
            Opened() >= before.Item1 + 1 && Replied() >= before.Item2 + 1 && Failed() >= before.Item3 + 1
            && Uploaded() >= before.Item4 + 1 && Pushed() >= before.Item5 + 1 && Mailed() >= before.Item6 + 1,
            state: () => $"opened {Opened()}, replied {Replied()}, failed sign-ins {Failed()}, uploads {Uploaded()}, "
                + $"pushed {Pushed()}, mailed {Mailed()}; before {before}");
        Assert.True(telemetry.Points("portal.upload.size", "attachments").Sum(p => p.Sum) >= 2048);

        // Sampled figures, from every service with an outbox and a broker account.
        await Eventually.TrueAsync(() => Services.All(service =>
                telemetry.Points("portal.outbox.backlog", service).Count > 0
                && telemetry.Points("portal.outbox.oldest_age", service).Count > 0
                && telemetry.Points("portal.queue.depth", service)
                    .Any(p => p.Attributes["portal.queue.kind"] == "dead_letter")),
            state: () => string.Join(", ", Services.Select(s =>
                $"{s}: {telemetry.Points("portal.outbox.backlog", s).Count} backlog, "
                    + $"{telemetry.Points("portal.queue.depth", s).Count} queues")));
        Assert.Contains(telemetry.Points("portal.queue.depth", "notifications"),
            p => p.Attributes["portal.queue.kind"] == "consumer");
        Assert.NotEmpty(telemetry.Points("portal.emails.waiting", "notifications"));
        // The consumers' time and retries (MassTransit's own instruments), and the gateway's rate limiter (ASP.NET
        // Core's).
        Assert.NotEmpty(telemetry.Points("messaging.masstransit.consume.duration", "notifications"));
        Assert.NotEmpty(telemetry.Points("aspnetcore.rate_limiting.requests", "gateway"));
    }

    [Fact]
    public async Task Health_says_what_was_checked_and_the_gateway_and_the_dashboard_see_every_service()
    {
        using var gateway = portal.Gateway();
        var report = await gateway.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var seen = report.GetProperty("checks").GetProperty("services").GetProperty("data");
        foreach (var service in Services.Append("web"))
            Assert.Equal("Healthy", seen.GetProperty(service).GetString());

        foreach (var service in Services)
        {
            using var client = portal.Service(service);
            var own = await client.GetFromJsonAsync<JsonElement>("/health");
            var backlog = own.GetProperty("checks").GetProperty("backlog");
            Assert.Equal("Healthy", backlog.GetProperty("status").GetString());
            Assert.True(backlog.GetProperty("data").TryGetProperty("deadLetters", out _), $"{service}: {own}");
            Assert.True(backlog.GetProperty("data").TryGetProperty("outboxBacklog", out _), $"{service}: {own}");

            // The AppHost (and so the dashboard) reads the status the service reports, not only its HTTP code.
            // (Every replica: the resource's name covers them.)
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var state = await portal.App.ResourceNotifications.WaitForResourceAsync(service,
                e => e.Snapshot.HealthReports.Any(
                    r => r.Name == $"{service}-health" && r.Status == HealthStatus.Healthy), cts.Token);
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }
}

using System.Text.Json;
using Microsoft.Playwright;
using Portal.Testing;
using Xunit;

namespace Portal.Browser.Tests;

/// <summary>
/// The whole system (<see cref="PortalSystem"/>), and Debian's Chromium driven by Playwright (it
/// cannot download a browser here) against the gateway, as a user's browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private PortalSystem _system = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Gateway => _system.Gateway;

    /// <summary>Where screenshots go: look at them.</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly string _clockFile = Path.Combine(Path.GetTempPath(), $"portal-clock-{Guid.NewGuid():N}");
    private TimeSpan _clockAhead;

    /// <summary>
    /// Moves Tickets' clock forward (never back: what was written stays in the past); every later test sees it moved.
    /// </summary>
    public async Task MoveClockForwardAsync(TimeSpan by)
    {
        _clockAhead += by;
        await File.WriteAllTextAsync(_clockFile,
            _clockAhead.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task InitializeAsync()
    {
        _system = await PortalSystem.StartAsync<Projects.AppHost>($"Portal:ClockFile={_clockFile}");
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _system.DisposeAsync();
        File.Delete(_clockFile);
    }

    // Each person's device cookie from their first sign-in: their later sessions are "their own
    // browser", which others' wrong guesses (SignInBudgetTests) never slow down.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Cookie> _devices = new();

    /// <summary>
    /// A fresh browser session (its own cookies but the person's device cookie), signed in as that demo user, on the
    /// Échanges page.
    /// </summary>
    public async Task<IPage> SignInAsync(string email, ViewportSize? viewport = null)
    {
        var page = await NewPageAsync(email, viewport);
        if (_devices.TryGetValue(email, out var device))
            await page.Context.AddCookiesAsync([device]);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync(Demo.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/echanges");
        }
        catch (TimeoutException)
        {
            // Say what the sign-in page said instead (a refusal, a wait, a service error).
            var said = await page.GetByRole(AriaRole.Alert).AllInnerTextsAsync();
            throw new TimeoutException(
                $"{email} was not signed in: the page ({page.Url}) says « {string.Join(" | ", said)} ».");
        }
        if ((await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == "portal-device") is { } cookie)
        {
            _devices.TryAdd(email, new Cookie
            {
                Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path,
                Expires = cookie.Expires, HttpOnly = cookie.HttpOnly, Secure = cookie.Secure,
                SameSite = cookie.SameSite,
            });
        }
        // Interactive once the live circuit is up.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        return page;
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<IBrowserContext> _open = [];

    /// <summary>
    /// Closes every browser session opened since the last call: a test's pages (their live circuits
    /// and notification streams) do not outlive it and weigh on the next ones.
    /// </summary>
    public async Task CloseSessionsAsync()
    {
        while (_open.TryTake(out var context))
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // Closed by the test already.
            }
        }
    }

    /// <summary>A fresh browser session with no cookie at all, on no page yet.</summary>
    public async Task<IPage> NewPageAsync(string who, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.ToString(), Locale = "fr-FR", TimezoneId = "Europe/Paris",
            ViewportSize = viewport ?? new() { Width = 1280, Height = 900 },
        });
        _open.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Console.WriteLine($"[browser {who}] {message.Type}: {message.Text}");
        return page;
    }

    public Task<string> ConnectionStringAsync(string resource) => _system.ConnectionStringAsync(resource);

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>axe-core's serious and critical violations on the page as it is now.</summary>
    public async Task<IReadOnlyList<string>> AccessibilityViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(
            new() { Path = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js") });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run()).violations.filter(v => v.impact === 'serious' || "
                + "v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))");
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

using Xunit;

namespace Portal.Browser.Tests;

/// <summary>A browser test: the pages it opened are closed when it ends.</summary>
public abstract class BrowserTest(BrowserFixture portal) : IAsyncLifetime
{
    /// <summary>The system under test and the browser.</summary>
    protected BrowserFixture Portal { get; } = portal;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Portal.CloseSessionsAsync();
}

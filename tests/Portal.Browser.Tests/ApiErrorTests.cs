using System.Net;
using Portal.Web.Api;
using Xunit;

namespace Portal.Browser.Tests;

/// <summary>Every failure the web front end can meet reads as a French sentence that says what to do.</summary>
public sealed class ApiErrorTests
{
    private static readonly string[] English =
        ["error", "request", "occurred", "failed", "server", "try again", "too many"];

    public static TheoryData<int> Statuses() => new(Enumerable.Range(400, 200));

    [Theory]
    [MemberData(nameof(Statuses))]
    public void A_failure_without_a_detail_still_gets_a_French_sentence(int status)
    {
        var message = ApiError.Describe((HttpStatusCode)status, detail: null, retryAfter: null);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain(English, word => message.Contains(word, StringComparison.OrdinalIgnoreCase));
        Assert.Matches("(réessayez|rechargez|revenez|vérifiez|choisissez|raccourcissez|droit)", message);
    }

    [Fact]
    public void Too_many_requests_says_how_long_to_wait()
    {
        Assert.Contains("réessayez dans 3 secondes",
            ApiError.Describe(HttpStatusCode.TooManyRequests, null, TimeSpan.FromSeconds(3)));
        Assert.Contains("Réessayez dans 2 minutes",
            ApiError.Describe(HttpStatusCode.TooManyRequests, "Trop de documents.", TimeSpan.FromSeconds(90)));
        // A detail that already says when is left as it is.
        Assert.Equal("Trop de requêtes : réessayez dans 4 s.", ApiError.Describe(
            HttpStatusCode.TooManyRequests, "Trop de requêtes : réessayez dans 4 s.", TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void The_services_own_French_detail_is_shown_as_it_is()
    {
        Assert.Equal("La demande est clôturée : elle n'accepte plus de message.",
            ApiError.Describe(
                HttpStatusCode.Conflict, "La demande est clôturée : elle n'accepte plus de message.", null));
    }
}

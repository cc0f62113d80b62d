using System.Text.Json;

namespace Portal.Web;

public static class TokenExpiry
{
    /// <summary>The token's <c>exp</c>, read without validating it: the API validates it on every call.</summary>
    public static DateTimeOffset Of(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload += new string('=', (4 - payload.Length % 4) % 4);
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return DateTimeOffset.FromUnixTimeSeconds(json.RootElement.GetProperty("exp").GetInt64());
    }
}

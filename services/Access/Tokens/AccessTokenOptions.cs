namespace Portal.Access.Tokens;

public sealed class AccessTokenOptions
{
    /// <summary>The <c>iss</c> of every token; also the authority the services are told to trust.</summary>
    public string Issuer { get; set; } = "http://access";

    public string Audience { get; set; } = "portal-api";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a service's own token lives (services renew it at two thirds).</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A signing key older than this is replaced; the replaced one keeps validating.</summary>
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(30);
}

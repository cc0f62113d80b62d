using System.Diagnostics.Metrics;

namespace Portal.Access;

/// <summary>What Access counts: sign-in attempts by outcome.</summary>
internal static class Telemetry
{
    private static readonly Meter Meter = new("Portal.Access");

    private static readonly Counter<long> SignIns = Meter.CreateCounter<long>(
        "portal.sign_in.attempts", "{attempt}",
        "Sign-in attempts by outcome (portal.sign_in.outcome): succeeded, failed (wrong e-mail or password, or a "
            + "deactivated person), throttled (a budget was empty: 429).");

    public static void SignIn(string outcome) =>
        SignIns.Add(1, new KeyValuePair<string, object?>("portal.sign_in.outcome", outcome));
}

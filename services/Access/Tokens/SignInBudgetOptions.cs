namespace Portal.Access.Tokens;

/// <summary>
/// How many sign-in attempts each budget allows in a burst and how fast it refills (section
/// <c>SignIn</c>). A successful attempt gives back what it took: only failures slow anyone down.
/// </summary>
public sealed class SignInBudgetOptions
{
    /// <summary>Per account (by e-mail, known or not), from any browser without a device token for it.</summary>
    public SignInBudget Account { get; set; } = new(5, TimeSpan.FromMinutes(1));

    /// <summary>Per client address, whatever the account.</summary>
    public SignInBudget Address { get; set; } = new(30, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Per device token: a browser where the person signed in before is slowed only by its own failures.
    /// </summary>
    public SignInBudget Device { get; set; } = new(10, TimeSpan.FromMinutes(1));

    /// <summary>How long a device token is honoured (each successful sign-in hands out a fresh one).</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary><paramref name="Attempts"/> at once, then one more every <paramref name="Refill"/>.</summary>
public sealed record SignInBudget(int Attempts, TimeSpan Refill)
{
    public SignInBudget() : this(1, TimeSpan.FromMinutes(1))
    {
    }
}

namespace Portal.Contracts;

/// <summary>The two sides of a conversation, as they appear in events and in the API.</summary>
public static class Sides
{
    public const string Member = "member";
    public const string Staff = "staff";
}

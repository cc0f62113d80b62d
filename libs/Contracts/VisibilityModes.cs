namespace Portal.Contracts;

/// <summary>Company: every user of the thread's company; restricted: only the listed users.</summary>
public static class VisibilityModes
{
    public const string Company = "company";
    public const string Restricted = "restricted";

    public static bool IsKnown(string? mode) => mode is Company or Restricted;
}

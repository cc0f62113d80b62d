namespace Portal.Testing;

/// <summary>The demo directory of API.md: its people, and their one password (Development only).</summary>
public static class Demo
{
    public const string Password = "Portal-demo-2026!";

    public const string Camille = "camille.lefebvre@boulangerie-martin.example";
    public const string Julien = "julien.martin@boulangerie-martin.example";
    public const string Sophie = "sophie.bernard@boulangerie-martin.example";
    public const string Marc = "marc.dubois@transports-dubois.example";
    public const string Lea = "lea.petit@transports-dubois.example";
    public const string Nadia = "nadia.benali@pole-sante-travail.example";
    public const string Thomas = "thomas.roux@pole-sante-travail.example";
}

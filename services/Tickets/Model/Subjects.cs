namespace Portal.Tickets.Model;

public sealed record CatalogueEntry(string Code, string Label);

/// <summary>The subjects a thread is opened with; a thread's title is its subject's label.</summary>
public static class Subjects
{
    public static readonly IReadOnlyList<CatalogueEntry> All =
    [
        new("accueil", "Mécontentement général lié à l'accueil et la prise en charge"),
        new("rendez-vous", "Demande de rendez-vous ou de visite"),
        new("convocation", "Convocation, report ou annulation de visite"),
        new("adhesion", "Adhésion et cotisation"),
        new("facturation", "Facturation"),
        new("effectifs", "Déclaration des effectifs"),
        new("documents", "Demande de document (attestation, avis)"),
        new("autre", "Autre demande"),
    ];

    public static CatalogueEntry? Find(string? code) => All.FirstOrDefault(s => s.Code == code);
}

namespace Portal.Tickets.Model;

public static class CloseReasons
{
    public static readonly IReadOnlyList<CatalogueEntry> All =
    [
        new("resolved", "La demande est résolue"),
        new("no_longer_needed", "La demande n'est plus nécessaire"),
        new("created_by_mistake", "La demande a été créée par erreur"),
        new("other", "Autre"),
    ];

    public static CatalogueEntry? Find(string? code) => All.FirstOrDefault(r => r.Code == code);
}

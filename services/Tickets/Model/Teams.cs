namespace Portal.Tickets.Model;

/// <summary>A team of the service and the subjects whose new threads it receives.</summary>
public sealed record Team(string Code, string Label, IReadOnlyList<string> SubjectCodes);

/// <summary>The teams (section <c>Tickets:Teams</c>); docs/API.md's defaults when none is configured.</summary>
public sealed class TeamOptions
{
    public List<Team> Teams { get; set; } = [];
}

public sealed class Teams
{
    public static readonly IReadOnlyList<Team> Defaults =
    [
        new("accueil", "Accueil et adhésion", ["accueil", "adhesion", "effectifs", "autre"]),
        new("planification", "Planification des visites", ["rendez-vous", "convocation"]),
        new("gestion", "Facturation et documents", ["facturation", "documents"]),
    ];

    public Teams(IEnumerable<Team> configured)
    {
        All = configured.ToList() is { Count: > 0 } teams ? teams : Defaults;
        var unrouted = Subjects.All.Where(s => !All.Any(t => t.SubjectCodes.Contains(s.Code))).ToList();
        if (unrouted.Count > 0)
            throw new InvalidOperationException(
                $"Every subject needs a team; none has {string.Join(", ", unrouted.Select(s => s.Code))}.");
    }

    public IReadOnlyList<Team> All { get; }

    public Team? Find(string? code) => All.FirstOrDefault(t => t.Code == code);

    /// <summary>The team a new thread of this subject goes to (the first that lists it).</summary>
    public Team OfSubject(string subjectCode) => All.First(t => t.SubjectCodes.Contains(subjectCode));
}

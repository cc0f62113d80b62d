namespace Portal.Access.Data;

/// <summary>
/// People for load tests, added to the demo directory (section <c>Demo:Load</c>; none by default):
/// <c>membre{m}@charge-{cc}.example</c> in « Entreprise de charge {cc} » and
/// <c>agent{ss}@charge.pole-sante-travail.example</c> on staff, with the demo password. The
/// performance profile of the AppHost sets them; <c>bench/Load</c> signs them in.
/// </summary>
public sealed class LoadDirectoryOptions
{
    public int CompanyCount { get; set; }

    public int MembersPerCompany { get; set; } = 4;

    public int StaffCount { get; set; }

    public IEnumerable<(string Company, (string Email, string Name)[] Users)> Companies() =>
        Enumerable.Range(1, CompanyCount).Select(c => ($"Entreprise de charge {c:00}",
            Enumerable.Range(1, MembersPerCompany)
                .Select(m => ($"membre{m}@charge-{c:00}.example", $"Membre {m} CHARGE-{c:00}"))
                .ToArray()));

    public IEnumerable<(string Email, string Name)> Staff() =>
        Enumerable.Range(1, StaffCount)
            .Select(s => ($"agent{s:00}@charge.pole-sante-travail.example", $"Agent {s:00} CHARGE"));
}

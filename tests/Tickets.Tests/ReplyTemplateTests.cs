using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

public sealed class ReplyTemplateTests
{
    [Fact]
    public void Placeholders_are_filled_from_the_thread_and_unknown_ones_stay_as_written() =>
        Assert.Equal(
            "Bonjour Camille LEFEBVRE, demande n° 1042 de Boulangerie Martin. {{inconnu}}",
            TemplatePlaceholders.Fill(
                "Bonjour {{prenom}} {{ nom }}, demande n° {{numero}} de {{entreprise}}. {{inconnu}}",
                new TemplateValues("Boulangerie Martin", 1042, "Camille", "LEFEBVRE")));

    [Theory]
    [InlineData("Camille LEFEBVRE", "Camille", "LEFEBVRE")]
    [InlineData("Jean-Luc DE LA FONTAINE", "Jean-Luc", "DE LA FONTAINE")]
    [InlineData("Léa PETIT", "Léa", "PETIT")]
    [InlineData("JEAN DUPONT", "JEAN", "DUPONT")]
    [InlineData("Camille", "Camille", "")]
    [InlineData("Membre 1 CHARGE-01", "Membre 1", "CHARGE-01")]
    public void A_directory_name_splits_into_first_and_last_name(string name, string first, string last) =>
        Assert.Equal((first, last), TemplateValues.SplitName(name));

    [Fact]
    public void Every_subject_has_a_team_in_the_defaults()
    {
        var teams = new Teams([]);
        foreach (var subject in Subjects.All)
            Assert.Contains(subject.Code, teams.OfSubject(subject.Code).SubjectCodes);
        Assert.Equal("planification", teams.OfSubject("rendez-vous").Code);
        Assert.Throws<InvalidOperationException>(() => new Teams([new Team("seule", "Seule", ["autre"])]));
    }
}

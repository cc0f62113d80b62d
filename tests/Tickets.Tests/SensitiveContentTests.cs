using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

public sealed class SensitiveContentTests
{
    private static IReadOnlyList<ContentWarning> Find(string text) => SensitiveContent.Find(text);

    [Theory]
    [InlineData("Son numéro : 1 85 07 75 123 456 08, merci.", "1 85 07 75 123 456 08")]
    [InlineData("NIR 185077512345608", "185077512345608")]
    [InlineData("né en Corse : 2 92 01 2B 018 042 63", "2 92 01 2B 018 042 63")]
    public void A_social_security_number_with_its_right_key_is_found_where_it_is(string text, string nir)
    {
        var warning = Assert.Single(Find(text));
        Assert.Equal(SensitiveContent.Nir, warning.Kind);
        Assert.Equal(nir, text.Substring(warning.Start, warning.Length));
    }

    [Theory]
    [InlineData("1 85 07 75 123 456 09")] // wrong key
    [InlineData("1 85 13 75 123 456 07")] // month 13, right key
    [InlineData("Facture 185077512345608123")] // part of a longer number
    [InlineData("Téléphone : 01 85 07 75 12")]
    public void Numbers_that_are_not_a_valid_NIR_are_left_alone(string text) =>
        Assert.DoesNotContain(Find(text), w => w.Kind == SensitiveContent.Nir);

    [Theory]
    [InlineData("Mme Durand, née le 12/03/1985, souhaite", "12/03/1985")]
    [InlineData("Date de naissance : 3 mars 1985", "3 mars 1985")]
    [InlineData("M. Martin (né le 1er février 1970)", "1er février 1970")]
    public void A_date_of_birth_is_found(string text, string date)
    {
        var warning = Assert.Single(Find(text), w => w.Kind == SensitiveContent.BirthDate);
        Assert.Equal(date, text.Substring(warning.Start, warning.Length));
    }

    [Fact]
    public void A_date_that_is_not_a_birth_date_is_left_alone() =>
        Assert.Empty(Find("La visite du 12/03/2026 est reportée au 19/03/2026."));

    [Theory]
    [InlineData("Il est en arrêt maladie depuis lundi", "arrêt maladie")]
    [InlineData("Son TRAITEMENT le fatigue", "TRAITEMENT")]
    [InlineData("On lui a diagnostiqué une dépression", "diagnostiqué")]
    public void Diagnosis_treatment_and_sick_leave_words_are_found_whatever_the_case_and_accents(
        string text, string word)
    {
        var warning = Find(text).First(w => w.Kind == SensitiveContent.Medical);
        Assert.Equal(word, text.Substring(warning.Start, warning.Length));
    }

    [Theory]
    [InlineData("Pouvez-vous programmer la visite médicale de reprise de M. Martin ?")]
    [InlineData("Le médecin du travail a-t-il reçu la fiche de poste ?")]
    [InlineData("Nous souhaitons connaître le traitementaire de la facture")] // not the word
    [InlineData("La déclaration des effectifs est jointe.")]
    public void The_services_own_vocabulary_and_ordinary_text_raise_nothing(string text) =>
        Assert.Empty(Find(text));
}

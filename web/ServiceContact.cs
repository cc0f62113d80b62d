namespace Portal.Web;

/// <summary>How to reach the service other than by message, and its help centre (section <c>Contact</c>).</summary>
public sealed class ServiceContact
{
    public string Email { get; set; } = "contact@pole-sante-travail.example";

    public string Phone { get; set; } = "01 23 45 67 89";

    public string Hours { get; set; } = "du lundi au vendredi, de 8 h 30 à 17 h 30";

    public string HelpCentreUrl { get; set; } = "https://aide.pole-sante-travail.example";
}

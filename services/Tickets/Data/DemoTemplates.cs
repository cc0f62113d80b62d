using System.Security.Cryptography;
using System.Text;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

/// <summary>A few reply templates per team, added in Development so that the console has some from the start.</summary>
public sealed class DemoTemplates(ReplyTemplateStore templates) : IHostedService
{
    private static readonly (string Team, string Title, string Body)[] All =
    [
        ("accueil", "Accusé de réception",
            "Bonjour {{prenom}},\n\nNous avons bien reçu votre demande n° {{numero}} pour {{entreprise}}. "
            + "Nous revenons vers vous au plus vite.\n\nCordialement,\nPÔLE SANTÉ TRAVAIL"),
        ("accueil", "Demande de précisions",
            "Bonjour {{prenom}},\n\nPour traiter votre demande n° {{numero}}, pourriez-vous nous préciser "
            + "les salariés concernés ?\n\nCordialement,\nPÔLE SANTÉ TRAVAIL"),
        ("planification", "Proposition de rendez-vous",
            "Bonjour {{prenom}},\n\nSuite à votre demande n° {{numero}}, nous vous proposons un rendez-vous "
            + "pour les salariés de {{entreprise}}. Merci de nous confirmer la date qui vous convient.\n\n"
            + "Cordialement,\nPÔLE SANTÉ TRAVAIL"),
        ("gestion", "Document transmis",
            "Bonjour {{prenom}} {{nom}},\n\nVous trouverez ci-joint le document demandé pour {{entreprise}} "
            + "(demande n° {{numero}}).\n\nCordialement,\nPÔLE SANTÉ TRAVAIL"),
    ];

    public Task StartAsync(CancellationToken cancellationToken) =>
        templates.SeedAsync(All.Select(t => new ReplyTemplate(IdOf(t.Title), t.Team, t.Title, t.Body)),
            cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Guid IdOf(string title) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("portal-demo-template:" + title)));
}

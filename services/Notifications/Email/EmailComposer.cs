using MimeKit;
using Portal.Notifications.Model;

namespace Portal.Notifications.Email;

public sealed record DueEmail(
    Guid Id,
    string Address,
    string Kind,
    Guid TicketId,
    long Number,
    string Title,
    int Attempts,
    string? TraceParent = null);

/// <summary>
/// The e-mail a member gets, in French: PÔLE SANTÉ TRAVAIL has written, and where to read it. Never
/// what was written: the message stays behind the sign-in.
/// </summary>
public static class EmailComposer
{
    public static MimeMessage Compose(DueEmail email, string from, string portalUrl)
    {
        var link = $"{portalUrl.TrimEnd('/')}/echanges/{email.TicketId}";
        var what = email.Kind switch
        {
            NotificationKinds.TicketOpened =>
                $"PÔLE SANTÉ TRAVAIL a ouvert une demande pour votre entreprise : n° {email.Number} « {email.Title} ».",
            NotificationKinds.TicketClosed =>
                $"PÔLE SANTÉ TRAVAIL a clôturé la demande n° {email.Number} « {email.Title} ».",
            _ => $"PÔLE SANTÉ TRAVAIL vous a écrit au sujet de la demande n° {email.Number} « {email.Title} ».",
        };
        var message = new MimeMessage
        {
            // The delivery's id: a receiving server can recognise a resend after a lost acknowledgement.
            MessageId = $"{email.Id:N}@portal.pole-sante-travail.example",
            Subject = $"Nouveau message de PÔLE SANTÉ TRAVAIL – demande n° {email.Number}",
            Body = new TextPart("plain")
            {
                Text = $"""
                    Bonjour,

                    {what}

                    Pour le consulter, connectez-vous à votre Espace adhérent, rubrique « Échanges » :
                    {link}

                    Par confidentialité, le contenu des messages n'est jamais repris dans les e-mails.

                    Ceci est un message automatique : merci de ne pas y répondre.
                    PÔLE SANTÉ TRAVAIL
                    """,
            },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(email.Address));
        return message;
    }
}

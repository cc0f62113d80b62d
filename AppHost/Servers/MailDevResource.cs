namespace Aspire.Hosting.ApplicationModel;

/// <summary>MailDev, an SMTP sink with a web inbox, run as a local process (<c>scripts/maildev.sh</c>).</summary>
public sealed class MailDevResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string SmtpEndpointName = "smtp";
    internal const string WebEndpointName = "http";

    public EndpointReference SmtpEndpoint => new(this, SmtpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"smtp://127.0.0.1:{SmtpEndpoint.Property(EndpointProperty.Port)}");
}

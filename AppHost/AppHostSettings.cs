using Microsoft.Extensions.Configuration;

namespace Portal.AppHost;

/// <summary>
/// Run mode keeps data in the repository's git-ignored <c>.data/</c> and puts the gateway and the
/// broker on the fixed ports of API.md; ephemeral mode (<c>Portal:Ephemeral=true</c>, used by the
/// tests) starts every server empty in a fresh folder, on ports Aspire chooses.
/// </summary>
internal sealed record AppHostSettings(
    string DataDirectory, bool Durable, int? GatewayPort, int? RabbitMqPort, int? RabbitMqManagementPort, int? MailInboxPort)
{
    /// <summary>
    /// <c>Portal:MaxAttachmentSize</c> (bytes), when set, raises or lowers the upload limit of the
    /// Attachments service and the gateway's upload route together, so that they always agree.
    /// </summary>
    public long? MaxAttachmentSize { get; init; }

    public static AppHostSettings From(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.GetValue<bool>("Portal:Ephemeral"))
        {
            var folder = Path.Combine(Path.GetTempPath(), "portal-test", Guid.NewGuid().ToString("N")[..12]);
            return new AppHostSettings(folder, Durable: false, null, null, null, null)
            {
                MaxAttachmentSize = configuration.GetValue<long?>("Portal:MaxAttachmentSize"),
            };
        }

        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        return new AppHostSettings(
            configuration["Portal:DataDirectory"] ?? Path.Combine(root, ".data"),
            Durable: true,
            configuration.GetValue("PORTAL_GATEWAY_PORT", 8080),
            configuration.GetValue("Portal:RabbitMqPort", 5672),
            configuration.GetValue("Portal:RabbitMqManagementPort", 15672),
            configuration.GetValue("Portal:MailInboxPort", 1080))
        {
            MaxAttachmentSize = configuration.GetValue<long?>("Portal:MaxAttachmentSize"),
        };
    }
}

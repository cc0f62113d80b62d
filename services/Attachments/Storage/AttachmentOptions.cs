namespace Portal.Attachments.Storage;

public sealed class AttachmentOptions
{
    public long MaxFileSize { get; set; } = 20 * 1024 * 1024;

    public string Container { get; set; } = "attachments";

    /// <summary>A file no message has named within this time is deleted.</summary>
    public TimeSpan OrphanLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The SDK buffers one block per parallel transfer for a non-seekable stream: one 1 MiB block at
    /// a time keeps an upload's memory small and bounded.
    /// </summary>
    public int BlockSize { get; set; } = 1024 * 1024;
}

namespace Portal.Attachments.Storage;

public sealed class AttachmentOptions
{
    public long MaxFileSize { get; set; } = 20 * 1024 * 1024;

    public string Container { get; set; } = "attachments";

    /// <summary>Files one person may upload per day (Paris time), swept ones included.</summary>
    public int DailyUploadFiles { get; set; } = 1000;

    /// <summary>Bytes one person may upload per day (Paris time), swept ones included.</summary>
    public long DailyUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>A file no message has named within this time is deleted.</summary>
    public TimeSpan OrphanLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The SDK buffers one block per parallel transfer for a non-seekable stream, so an upload holds
    /// at most <see cref="BlockSize"/> × <see cref="UploadConcurrency"/> bytes: 8 MiB by default.
    /// Azurite and Blob storage pay per block, so larger blocks go faster (bench/Attachments.Bench).
    /// </summary>
    public int BlockSize { get; set; } = 4 * 1024 * 1024;

    public int UploadConcurrency { get; set; } = 2;
}

namespace Portal.Attachments.Model;

public enum ScanState { Pending, Clean, Rejected }

/// <summary>
/// Decides a stored file's scan state. The built-in scanner trusts the content check made while
/// the file arrived; an antivirus (clamd's INSTREAM) plugs in here by configuration.
/// </summary>
public interface IFileScanner
{
    Task<ScanState> ScanAsync(Guid attachmentId, FileKind kind, CancellationToken ct);
}

public sealed class ContentCheckScanner : IFileScanner
{
    public Task<ScanState> ScanAsync(Guid attachmentId, FileKind kind, CancellationToken ct) =>
        Task.FromResult(ScanState.Clean);
}

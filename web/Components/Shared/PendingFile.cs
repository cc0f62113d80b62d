using Microsoft.AspNetCore.Components.Forms;

namespace Portal.Web.Components.Shared;

/// <summary>A file chosen in a form: uploading, ready (it has an id) or refused.</summary>
public sealed class PendingFile(string name, long size, IBrowserFile source)
{
    public string Name => name;
    public long Size => size;
    public IBrowserFile Source => source;
    public CancellationTokenSource Cancel { get; } = new();
    public int Percent { get; set; }
    public Guid? Id { get; set; }
    public string? Error { get; set; }

    public static bool AllReady(IEnumerable<PendingFile> files) => files.All(f => f.Id is not null);
}

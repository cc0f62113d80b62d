using System.Diagnostics.Metrics;

namespace Portal.Attachments;

/// <summary>
/// What Attachments counts: files kept, and their sizes (the histogram's count is the uploads, its sum the bytes).
/// </summary>
internal static class Telemetry
{
    private static readonly Meter Meter = new("Portal.Attachments");

    public static readonly Histogram<long> Uploads = Meter.CreateHistogram<long>(
        "portal.upload.size", "By",
        "Size of each file uploaded and kept: its count is the number of uploads, its sum the bytes.",
        advice: new InstrumentAdvice<long>
        {
            HistogramBucketBoundaries = [16_384, 131_072, 1_048_576, 4_194_304, 10_485_760, 20_971_520]
        });
}

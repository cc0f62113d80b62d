namespace Portal.Notifications.Live;

/// <summary>
/// Where a live stream stands in a person's notifications: after the one numbered
/// <see cref="Seq"/> of the transaction <see cref="Tx"/> (notifications are sent in transaction
/// order, see <c>0005_commit_order.sql</c>). Written as the SSE event id <c>tx-seq</c>; a bare
/// number (an id from before, or <c>0</c>: everything) is read as a seq.
/// </summary>
public readonly record struct LiveCursor(long Tx, long Seq)
{
    public override string ToString() => $"{Tx}-{Seq}";

    public static bool TryParse(string? text, out LiveCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            // Before transaction order: everything after that seq, whichever transaction wrote it.
            if (!long.TryParse(text, out var seq) || seq < 0)
                return false;
            cursor = new LiveCursor(-1, seq);
            return true;
        }
        if (!long.TryParse(text.AsSpan(0, dash), out var tx) || !long.TryParse(text.AsSpan(dash + 1), out var after)
            || tx < 0 || after < 0)
            return false;
        cursor = new LiveCursor(tx, after);
        return true;
    }
}

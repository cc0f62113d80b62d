using System.Collections.Concurrent;

namespace Portal.Web;

/// <summary>What a user is typing, kept on the server, so that an expired session does not lose it.</summary>
public sealed class DraftStore
{
    private readonly ConcurrentDictionary<(Guid User, string Form), string> _drafts = new();

    public string Get(Guid user, string form) => _drafts.TryGetValue((user, form), out var text) ? text : "";

    public void Set(Guid user, string form, string text)
    {
        if (string.IsNullOrEmpty(text))
            _drafts.TryRemove((user, form), out _);
        else
            _drafts[(user, form)] = text;
    }
}

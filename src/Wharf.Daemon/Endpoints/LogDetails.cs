namespace Wharf.Daemon.Endpoints;

/// <summary>docker logs --details: the line's extra attributes before the text, "k=v,k2=v2 " sorted by key with
/// keys and values URL-query-escaped (Docker's format); a lone space when there are none.</summary>
internal static class LogDetails
{
    public static string Format(IReadOnlyDictionary<string, string>? attrs)
    {
        if (attrs is null || attrs.Count == 0) return " ";
        return string.Join(',', attrs.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => QueryEscape(a.Key) + "=" + QueryEscape(a.Value))) + " ";
    }

    /// <summary>Go's url.QueryEscape: spaces become '+'.</summary>
    private static string QueryEscape(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
}

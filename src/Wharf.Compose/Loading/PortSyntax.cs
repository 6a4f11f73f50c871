using Wharf.Compose.Model;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>The short port syntax: "[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]", "[::1]:80:80".</summary>
internal static class PortSyntax
{
    public static List<PortConfig> Parse(string text, Node where, string path)
    {
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            text = text[..slash];
        }

        string? hostIp = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw ComposeException.At(where, path, $"invalid port \"{text}\"");
            }

            hostIp = text[1..close];
            text = text[(close + 1)..].TrimStart(':');
        }

        var parts = text.Split(':');
        string? published;
        string container;
        switch (parts.Length)
        {
            case 1: published = null; container = parts[0]; break;
            case 2: published = parts[0]; container = parts[1]; break;
            case 3: hostIp ??= parts[0]; published = parts[1]; container = parts[2]; break;
            default: throw ComposeException.At(where, path, $"invalid port \"{text}\"");
        }

        if (published == "")
        {
            published = null;
        }

        var (start, end) = Range(container, where, path);
        var result = new List<PortConfig>();
        (int Start, int End)? hostRange = published is null ? null : Range(published, where, path);
        if (hostRange is { } h && h.End - h.Start != end - start && h.End != h.Start)
        {
            throw ComposeException.At(where, path, $"port ranges don't match in \"{text}\"");
        }

        for (var port = start; port <= end; port++)
        {
            var host = hostRange switch
            {
                null => null,
                var (hs, he) when hs == he && start != end => ServiceMapper.Invariant(hs) + (he != hs ? "" : ""),
                var (hs, _) => ServiceMapper.Invariant(hs + (port - start)),
            };
            result.Add(new PortConfig(port, host, hostIp, protocol));
        }

        return result;
    }

    private static (int Start, int End) Range(string text, Node where, string path)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? text : text[..dash];
        var last = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(first, out var start) || !int.TryParse(last, out var end) || start < 0 || end < start || end > 65535)
        {
            throw ComposeException.At(where, path, $"invalid port \"{text}\"");
        }

        return (start, end);
    }
}

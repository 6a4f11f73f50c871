using System.Net;

namespace Wharf.Daemon.Configuration;

/// <summary>One -H value: "unix:///path.sock" or "tcp://host:port" (dockerd's forms; "unix://" alone means the
/// default socket, "tcp://host" alone port 2375).</summary>
internal sealed record ListenAddress(string? UnixPath, IPEndPoint? Endpoint)
{
    public static ListenAddress Parse(string text)
    {
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            return new ListenAddress(path.Length == 0 ? "/run/wharf/wharf.sock" : path, null);
        }
        if (text.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var rest = text["tcp://".Length..].TrimEnd('/');
            if (!rest.Contains(':', StringComparison.Ordinal) || rest.EndsWith(']')) rest += ":2375";
            if (IPEndPoint.TryParse(rest, out var endpoint)) return new ListenAddress(null, endpoint);
            var colon = rest.LastIndexOf(':');
            if (rest[..colon] == "localhost" && int.TryParse(rest[(colon + 1)..], out var port))
                return new ListenAddress(null, new IPEndPoint(IPAddress.Loopback, port));
            throw new FormatException($"invalid tcp address: {text}");
        }
        if (text.StartsWith('/')) return new ListenAddress(text, null);
        throw new FormatException($"invalid host address {text}: use unix:///path or tcp://host:port");
    }
}

using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Cluster;

/// <summary>A `--cluster-store` URL: "etcd://HOST:PORT[,HOST:PORT...]" (Docker's form; the port defaults to 2379).
/// Only etcd is supported: Docker's consul:// and zk:// stores are refused with a message that says so.</summary>
public sealed record ClusterStoreAddress(IReadOnlyList<ClusterStoreEndpoint> Endpoints)
{
    public const string Scheme = "etcd";
    public const int DefaultPort = 2379;

    public override string ToString() => $"{Scheme}://{string.Join(",", Endpoints)}";

    /// <summary>Parses <paramref name="url"/>; throws <see cref="ErrorKind.InvalidArgument"/> naming what is wrong.</summary>
    public static ClusterStoreAddress Parse(string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw EngineException.Invalid($"invalid cluster store URL \"{url}\": expected etcd://HOST:PORT[,HOST:PORT]");
        }

        var scheme = url[..separator];
        if (!scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw EngineException.Invalid($"unsupported cluster store \"{scheme}\" in \"{url}\": only etcd:// is supported");
        }

        var rest = url[(separator + 3)..].TrimEnd('/');
        if (rest.Contains('/', StringComparison.Ordinal))
        {
            throw EngineException.Invalid($"invalid cluster store URL \"{url}\": a path is not supported");
        }

        var endpoints = new List<ClusterStoreEndpoint>();
        foreach (var part in rest.Split(',', StringSplitOptions.TrimEntries))
        {
            endpoints.Add(ParseEndpoint(url, part));
        }

        return new ClusterStoreAddress(endpoints);
    }

    private static ClusterStoreEndpoint ParseEndpoint(string url, string part)
    {
        if (part.Length == 0)
        {
            throw EngineException.Invalid($"invalid cluster store URL \"{url}\": empty host");
        }

        string host;
        string? port = null;
        if (part.StartsWith('['))
        {
            // [v6-address]:port
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw EngineException.Invalid($"invalid cluster store URL \"{url}\": unclosed '[' in \"{part}\"");
            }

            host = part[1..close];
            if (close + 1 < part.Length)
            {
                port = part[(close + 1)..].StartsWith(':') ? part[(close + 2)..] : throw EngineException.Invalid(
                    $"invalid cluster store URL \"{url}\": unexpected \"{part[(close + 1)..]}\"");
            }
        }
        else
        {
            var colon = part.LastIndexOf(':');
            host = colon < 0 ? part : part[..colon];
            port = colon < 0 ? null : part[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '@' or '?' or '#'))
        {
            throw EngineException.Invalid($"invalid cluster store URL \"{url}\": bad host \"{host}\"");
        }

        var number = DefaultPort;
        if (port is not null &&
            (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            throw EngineException.Invalid($"invalid cluster store URL \"{url}\": bad port \"{port}\"");
        }

        return new ClusterStoreEndpoint(host, number);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Api.Client;

/// <summary>A daemon address as given to -H / DOCKER_HOST: unix:///path or tcp://host[:port].</summary>
public sealed record DockerEndpoint(EndpointKind Kind, string SocketPath, string Host, int Port)
{
    public const string DefaultSocketPath = "/run/wharf/wharf.sock";
    public const string DefaultAddress = "unix://" + DefaultSocketPath;
    public const int DefaultTcpPort = 2375;

    public const int DefaultTlsPort = 2376;

    public static DockerEndpoint Default { get; } = Unix(DefaultSocketPath);

    /// <summary>Set for tcp:// endpoints reached over TLS (--tls, --tlsverify, a context with TLS material).</summary>
    public TlsClientOptions? Tls { get; init; }

    public static DockerEndpoint Unix(string path) => new(EndpointKind.Unix, path, "", 0);

    public static DockerEndpoint Tcp(string host, int port) => new(EndpointKind.Tcp, "", host, port);

    /// <summary>Parses an address; throws <see cref="FormatException"/> with a docker-like message.</summary>
    public static DockerEndpoint Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Trim();
        if (text.Length == 0)
        {
            return Default;
        }

        if (text.StartsWith('/'))
        {
            return Unix(text);
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            // docker accepts "host:port" as tcp.
            return ParseTcp(text, address);
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        var rest = text[(schemeEnd + 3)..];
        return scheme switch
        {
            "unix" => Unix(rest.Length == 0 ? DefaultSocketPath : rest),
            "tcp" or "http" => ParseTcp(rest, address),
            _ => throw new FormatException($"Invalid bind address format: {address}"),
        };
    }

    public static bool TryParse(string address, out DockerEndpoint? endpoint)
    {
        try
        {
            endpoint = Parse(address);
            return true;
        }
        catch (FormatException)
        {
            endpoint = null;
            return false;
        }
    }

    private static DockerEndpoint ParseTcp(string hostPort, string original)
    {
        var trimmed = hostPort.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return Tcp("127.0.0.1", DefaultTcpPort);
        }

        string host;
        var port = DefaultTcpPort;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"Invalid bind address format: {original}");
            }

            host = trimmed[1..close];
            var after = trimmed[(close + 1)..];
            if (after.StartsWith(':'))
            {
                port = ParsePort(after[1..], original);
            }
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon >= 0)
            {
                host = trimmed[..colon];
                port = ParsePort(trimmed[(colon + 1)..], original);
            }
            else
            {
                host = trimmed;
            }
        }

        return Tcp(host.Length == 0 ? "127.0.0.1" : host, port);
    }

    private static int ParsePort(string text, string original) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"Invalid bind address format: {original}");

    /// <summary>Opens a connected stream socket to this endpoint.</summary>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken = default)
    {
        Socket socket;
        EndPoint target;
        if (Kind == EndpointKind.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(SocketPath);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            target = IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);
        }

        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and, for TLS endpoints, completes the handshake: the stream HTTP is spoken over.</summary>
    public async Task<Stream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var network = new NetworkStream(socket, ownsSocket: true);
        if (Tls is null || Kind != EndpointKind.Tcp)
        {
            return network;
        }

        return await Tls.AuthenticateAsync(network, Host, cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => Kind == EndpointKind.Unix
        ? "unix://" + SocketPath
        : string.Create(CultureInfo.InvariantCulture, $"tcp://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}");
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

/// <summary>Published ports, served by an in-daemon proxy: one listening socket per host port, whose connections
/// (TCP) or datagrams (UDP) are relayed to the container's address. It reaches the container from 127.0.0.1, the
/// host's own addresses and other containers (hairpin) alike, with no process per port; a taken host port fails
/// the bind, which is Docker's "port is already allocated" error, before anything else is applied.</summary>
public sealed class PortPublisher(TimeProvider time, ILogger? logger = null) : IDisposable
{
    /// <summary>How long a UDP client's upstream socket lives without traffic either way (Docker's proxy keeps its
    /// UDP "connections" 90 s too): without an end, every new client address would keep a socket forever.</summary>
    public static readonly TimeSpan UdpIdleTimeout = TimeSpan.FromSeconds(90);

    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<IDisposable>> _byEndpoint = new(StringComparer.Ordinal);

    /// <summary>Binds every requested port for <paramref name="endpoint"/> (its IPv4 address is the target) and
    /// records the bound host ports on it. All or nothing.</summary>
    public void Publish(EndpointRecord endpoint, IReadOnlyDictionary<string, List<PortMapping>> requested)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(requested);
        var target = NetworkService.ParseCidr(endpoint.IPv4Address).Address;
        var opened = new List<IDisposable>();
        var bound = new Dictionary<string, List<PortMapping>>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, mappings) in requested)
            {
                var (containerPort, protocol) = ParsePortKey(key);
                foreach (var mapping in mappings.Count == 0 ? new List<PortMapping> { new() } : mappings)
                {
                    var hostIp = string.IsNullOrEmpty(mapping.HostIp) ? IPAddress.Any : IPAddress.TryParse(mapping.HostIp, out var ip) ? ip : throw EngineException.Invalid($"invalid IP address: {mapping.HostIp}");
                    var (first, last) = ParseHostPorts(mapping.HostPort);
                    var (proxy, port) = Bind(endpoint, hostIp, first, last, protocol, new IPEndPoint(target, containerPort));
                    opened.Add(proxy);
                    if (!bound.TryGetValue(key, out var list)) bound[key] = list = [];
                    list.Add(new PortMapping { HostIp = hostIp.ToString(), HostPort = port.ToString(CultureInfo.InvariantCulture) });
                }
            }
        }
        catch
        {
            foreach (var proxy in opened) proxy.Dispose();
            throw;
        }
        lock (_gate) _byEndpoint[endpoint.EndpointId] = opened;
        endpoint.Ports = bound;
    }

    /// <summary>After a daemon restart: binds the ports the endpoint had, best effort.</summary>
    public void TryRestore(EndpointRecord endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var wanted = endpoint.Ports;
        try
        {
            Publish(endpoint, wanted);
        }
        catch (EngineException)
        {
            endpoint.Ports = wanted;
        }
    }

    public void Unpublish(EndpointRecord endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        List<IDisposable>? proxies;
        lock (_gate) _byEndpoint.Remove(endpoint.EndpointId, out proxies);
        foreach (var proxy in proxies ?? []) proxy.Dispose();
    }

    /// <summary>"80/tcp" → (80, "tcp"); no protocol means tcp.</summary>
    public static (int Port, string Protocol) ParsePortKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        var protocol = parts.Length > 1 ? parts[1].ToLowerInvariant() : "tcp";
        if (!int.TryParse(parts[0], CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535 || protocol is not ("tcp" or "udp" or "sctp"))
            throw EngineException.Invalid($"invalid port specification: \"{key}\"");
        if (protocol == "sctp") throw EngineException.Invalid("sctp ports cannot be published by wharf");
        return (port, protocol);
    }

    private static (int First, int Last) ParseHostPorts(string text)
    {
        if (string.IsNullOrEmpty(text)) return (0, 0);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 && int.TryParse(text, CultureInfo.InvariantCulture, out var single) && single is >= 0 and <= 65535) return (single, single);
        if (dash > 0 && int.TryParse(text[..dash], CultureInfo.InvariantCulture, out var a) && int.TryParse(text[(dash + 1)..], CultureInfo.InvariantCulture, out var b) && a > 0 && b >= a && b <= 65535)
            return (a, b);
        throw EngineException.Invalid($"invalid hostPort: {text}");
    }

    private (IDisposable Proxy, int Port) Bind(EndpointRecord endpoint, IPAddress hostIp, int first, int last, string protocol, IPEndPoint target)
    {
        SocketException? lastError = null;
        for (var port = first; port <= last; port++)
        {
            var socket = protocol == "udp"
                ? new Socket(hostIp.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
                : new Socket(hostIp.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // No SO_REUSEADDR: .NET also sets SO_REUSEPORT with it on Linux, which would let a second container
                // bind a port that is already published.
                socket.Bind(new IPEndPoint(hostIp, port));
                var actual = ((IPEndPoint)socket.LocalEndPoint!).Port;
                if (protocol == "udp") return (new UdpRelay(socket, target, _time, _logger), actual);
                socket.Listen(128);
                return (new TcpRelay(socket, target, _logger), actual);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e;
            }
        }
        var shown = first == 0 ? "0" : first.ToString(CultureInfo.InvariantCulture);
        throw new EngineException(ErrorKind.Unknown,
            $"failed to set up container networking: driver failed programming external connectivity on endpoint {endpoint.ContainerName} ({endpoint.EndpointId}): Bind for {hostIp}:{shown} failed: port is already allocated",
            lastError);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var proxy in _byEndpoint.Values.SelectMany(p => p)) proxy.Dispose();
            _byEndpoint.Clear();
        }
    }

    /// <summary>Accepts connections and splices each to a fresh connection to the container.</summary>
    private sealed class TcpRelay : IDisposable
    {
        private readonly Socket _listener;
        private readonly IPEndPoint _target;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();

        public TcpRelay(Socket listener, IPEndPoint target, ILogger logger)
        {
            _listener = listener;
            _target = target;
            _logger = logger;
            AcceptLoopAsync().Observe(logger, "TCP port proxy " + target);
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try { client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { return; }
                RelayAsync(client).Observe(_logger, "TCP port relay " + _target);
            }
        }

        private async Task RelayAsync(Socket client)
        {
            using (client)
            using (var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                    await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
                {
                    // A refused or reset connection ends this relay only.
                }
            }
        }

        private async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16384];
            try
            {
                while (true)
                {
                    var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
                to.Shutdown(SocketShutdown.Send); // half-close, so request/response protocols finish
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
        }
    }

    /// <summary>Relays datagrams: one upstream socket per client address, answers sent back from the listening
    /// socket. Upstreams idle for <see cref="UdpIdleTimeout"/> are closed when the next datagram arrives (a sweep at
    /// most every third of it), so the sockets kept are bounded by the clients of the last minute and a half.</summary>
    private sealed class UdpRelay : IDisposable
    {
        private readonly Socket _listener;
        private readonly IPEndPoint _target;
        private readonly TimeProvider _time;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<EndPoint, Upstream> _upstreams = [];
        private long _lastSweep;

        public UdpRelay(Socket listener, IPEndPoint target, TimeProvider time, ILogger logger)
        {
            _listener = listener;
            _target = target;
            _time = time;
            _logger = logger;
            _lastSweep = time.GetTimestamp();
            ReceiveLoopAsync().Observe(logger, "UDP port proxy " + target);
        }

        private sealed class Upstream(Socket socket, long now)
        {
            public Socket Socket { get; } = socket;
            public long LastUsed { get; set; } = now;
        }

        /// <summary>Under the lock: closes the upstreams idle too long (their reply loops end with the socket).</summary>
        private void SweepIdle(long now)
        {
            if (_time.GetElapsedTime(_lastSweep, now) < UdpIdleTimeout / 3) return;
            _lastSweep = now;
            foreach (var (client, idle) in _upstreams.Where(u => _time.GetElapsedTime(u.Value.LastUsed, now) >= UdpIdleTimeout).ToList())
            {
                _upstreams.Remove(client);
                idle.Socket.Dispose();
            }
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try { received = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { return; }
                Upstream? upstream;
                lock (_upstreams)
                {
                    var now = _time.GetTimestamp();
                    SweepIdle(now);
                    if (!_upstreams.TryGetValue(received.RemoteEndPoint, out upstream))
                    {
                        var socket = new Socket(_target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                        socket.Connect(_target);
                        upstream = new Upstream(socket, now);
                        _upstreams[received.RemoteEndPoint] = upstream;
                        ReplyLoopAsync(upstream, received.RemoteEndPoint).Observe(_logger, "UDP port relay " + _target);
                    }
                    upstream.LastUsed = now;
                }
                try { await upstream.Socket.SendAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, _stop.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
            }
        }

        private async Task ReplyLoopAsync(Upstream upstream, EndPoint client)
        {
            var buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var n = await upstream.Socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    lock (_upstreams) upstream.LastUsed = _time.GetTimestamp();
                    await _listener.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // An ICMP "port unreachable" for an earlier datagram (nothing listened in the container yet, e.g. a
                    // server still starting): the upstream stays usable, so keep reading — ending here would leave
                    // the client's later datagrams relayed with nobody to carry the answers back.
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The upstream is gone: forget it so the client's next datagram opens a new one.
                    lock (_upstreams)
                    {
                        if (_upstreams.TryGetValue(client, out var current) && ReferenceEquals(current, upstream)) _upstreams.Remove(client);
                    }
                    upstream.Socket.Dispose();
                    return;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
            lock (_upstreams)
            {
                foreach (var upstream in _upstreams.Values) upstream.Socket.Dispose();
                _upstreams.Clear();
            }
        }
    }
}

using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Networks;

/// <summary>The embedded DNS server: one UDP listener on the gateway address of every user-defined bridge network
/// (containers there get "nameserver &lt;gateway&gt;"). It answers container names, short ids, aliases and hostnames,
/// but only those on a network the asking container shares (the asker is known by its source address); other names
/// are forwarded to the asking container's own --dns servers when it has some, else to the host's resolvers, except
/// single-label names, which are not a DNS name anywhere else and are answered NXDOMAIN at once. The lookup table is
/// an immutable snapshot swapped atomically on every change.</summary>
public sealed class DnsServer : IDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;
    private readonly NetworkService _networks;
    private readonly string _hostResolvConf;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Lock _refreshGate = new();
    private readonly Dictionary<IPAddress, Listener> _listeners = [];
    private readonly Dictionary<IPAddress, TcpDnsListener> _tcpListeners = [];
    private FrozenDictionary<IPAddress, FrozenDictionary<string, IPAddress[]>> _table = FrozenDictionary<IPAddress, FrozenDictionary<string, IPAddress[]>>.Empty;
    private FrozenDictionary<IPAddress, string> _owners = FrozenDictionary<IPAddress, string>.Empty;

    public DnsServer(NetworkService networks, string hostResolvConf, ILogger logger)
    {
        _networks = networks;
        _hostResolvConf = hostResolvConf;
        _logger = logger;
    }

    internal ILogger Logger => _logger;

    /// <summary>Whether a network gets name resolution: user-defined networks whose driver provides DNS, as in Docker
    /// (the default bridge keeps its legacy behaviour: no container names).</summary>
    public bool Serves(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return _networks.CapabilitiesOf(network).ProvidesDns && !network.IsDefaultBridge;
    }

    /// <summary>Rebuilds the table from the networks and opens/closes listeners to match. A container answers the
    /// names of every served network it is on, whichever of its addresses asks (it asks the server on its primary
    /// network's gateway, from that network's address): the names of the network the query comes from first, then
    /// those only other networks of the container know. Connected or disconnected later, a refresh follows.</summary>
    public void Refresh()
    {
        // One refresh at a time, each from one snapshot of every network's endpoints: parallel starts connect
        // concurrently, and two snapshots of a network (one per loop below) could disagree (a container in the
        // second but not the first failed the start with KeyNotFoundException), or an older table could be
        // published over a newer one (a name missing until the next refresh).
        lock (_refreshGate) RefreshLocked();
    }

    private void RefreshLocked()
    {
        var table = new Dictionary<IPAddress, Dictionary<string, List<IPAddress>>>();
        var gateways = new HashSet<IPAddress>();
        var owners = new Dictionary<IPAddress, string>();
        var served = _networks.All().Where(Serves).ToList();
        var endpointsOf = served.ToDictionary(n => n.Id, _networks.EndpointsSnapshot, StringComparer.Ordinal);
        var namesOf = new Dictionary<string, Dictionary<string, List<IPAddress>>>(StringComparer.Ordinal);
        var networksOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var network in served)
        {
            // A global network's bridge, which carries the gateway, exists here only while this host has endpoints on it.
            var endpoints = endpointsOf[network.Id];
            var bridged = endpoints.Count > 0 || _networks.ScopeOf(network) != "global";
            foreach (var pool in network.Ipam)
                if (bridged && IPAddress.TryParse(pool.Gateway, out var gw) && gw.AddressFamily == AddressFamily.InterNetwork) gateways.Add(gw);
            var names = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
            foreach (var other in endpoints)
                foreach (var name in other.DnsNames)
                {
                    if (!names.TryGetValue(name, out var ips)) names[name] = ips = [];
                    ips.AddRange(AddressesOf(other).Where(a => !ips.Contains(a)));
                }
            // A global network's endpoints on other hosts (from the cluster store): reachable by name from here too.
            foreach (var remote in _networks.RemoteEndpointsOf(network))
                foreach (var name in remote.Names)
                {
                    if (!names.TryGetValue(name, out var ips)) names[name] = ips = [];
                    if (!ips.Contains(remote.Address)) ips.Add(remote.Address);
                }
            namesOf[network.Id] = names;
            foreach (var endpoint in endpoints)
            {
                if (!networksOf.TryGetValue(endpoint.ContainerId, out var list)) networksOf[endpoint.ContainerId] = list = [];
                list.Add(network.Id);
            }
            // The host itself, asking through a gateway address (its source address then), sees that network's names:
            // handy for debugging and how the host-side test checks the TCP transport.
            foreach (var pool in network.Ipam)
                if (IPAddress.TryParse(pool.Gateway, out var gateway)) Merge(table, gateway, names, overwrite: true);
        }
        foreach (var network in served)
            foreach (var asker in endpointsOf[network.Id])
                foreach (var askerAddress in AddressesOf(asker))
                {
                    owners[askerAddress] = asker.ContainerId;
                    Merge(table, askerAddress, namesOf[network.Id], overwrite: true);
                    Merge(table, askerAddress, LinkedNames(asker, namesOf[network.Id]), overwrite: true);
                    foreach (var otherNetwork in networksOf[asker.ContainerId].Where(n => n != network.Id))
                        Merge(table, askerAddress, namesOf[otherNetwork], overwrite: false);
                }
        _table = table.ToFrozenDictionary(t => t.Key, t => t.Value.ToFrozenDictionary(n => n.Key, n => n.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
        _owners = owners.ToFrozenDictionary();
        lock (_gate)
        {
            foreach (var gone in _listeners.Keys.Where(k => !gateways.Contains(k)).ToList())
            {
                _listeners[gone].Dispose();
                _listeners.Remove(gone);
            }
            foreach (var gw in gateways.Where(g => !_listeners.ContainsKey(g)))
            {
                // The address may not be on the bridge yet: the next refresh retries.
                try { _listeners[gw] = new Listener(this, gw); }
                catch (SocketException e) { NetworkLog.DnsListenerNotOpened(_logger, gw.ToString(), e.Message); }
            }
            foreach (var gone in _tcpListeners.Keys.Where(k => !gateways.Contains(k)).ToList())
            {
                _tcpListeners[gone].Dispose();
                _tcpListeners.Remove(gone);
            }
            foreach (var gw in gateways.Where(g => !_tcpListeners.ContainsKey(g)))
            {
                try { _tcpListeners[gw] = new TcpDnsListener(this, gw); }
                catch (SocketException e) { NetworkLog.DnsListenerNotOpened(_logger, gw.ToString(), e.Message); }
            }
        }
    }

    /// <summary>The asker's own link aliases on a network: "name:alias" makes alias answer with name's addresses there
    /// (looked up at each refresh, so a target that starts later is found).</summary>
    private static Dictionary<string, List<IPAddress>> LinkedNames(EndpointRecord asker, Dictionary<string, List<IPAddress>> names)
    {
        var linked = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        foreach (var link in asker.Links)
        {
            var parts = link.Split(':', 2);
            var target = parts[0].TrimStart('/');
            var alias = parts.Length > 1 ? parts[1][(parts[1].LastIndexOf('/') + 1)..] : target;
            if (names.TryGetValue(target, out var addresses)) linked[alias] = addresses;
        }
        return linked;
    }

    /// <summary>Adds <paramref name="names"/> to what <paramref name="asker"/> resolves: with
    /// <paramref name="overwrite"/> their addresses join those already known for a name, without it only names not
    /// known yet are added (a name on the asking network wins over the same name elsewhere).</summary>
    private static void Merge(Dictionary<IPAddress, Dictionary<string, List<IPAddress>>> table, IPAddress asker, Dictionary<string, List<IPAddress>> names, bool overwrite)
    {
        if (!table.TryGetValue(asker, out var known)) table[asker] = known = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, addresses) in names)
        {
            if (!known.TryGetValue(name, out var ips)) known[name] = ips = [];
            else if (!overwrite) continue;
            ips.AddRange(addresses.Where(a => !ips.Contains(a)));
        }
    }

    /// <summary>Answers a query from <paramref name="asker"/>; null means "forward it".</summary>
    public byte[]? Answer(ReadOnlySpan<byte> query, IPAddress asker)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1) return null;
        var offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            var length = query[offset];
            if ((length & 0xC0) != 0 || offset + 1 + length > query.Length) return null;
            labels.Add(Encoding.ASCII.GetString(query.Slice(offset + 1, length)));
            offset += 1 + length;
        }
        if (offset + 5 > query.Length) return null;
        var questionEnd = offset + 5;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query[(offset + 1)..]);
        var name = string.Join('.', labels);
        IPAddress[] found = [];
        var known = _table.TryGetValue(asker, out var names) && names.TryGetValue(name, out found!);
        if (!known && labels.Count > 1) return null;
        var family = type == TypeAaaa ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var answers = known && type is TypeA or TypeAaaa ? found.Where(a => a.AddressFamily == family).ToArray() : [];

        var response = new List<byte>(questionEnd + answers.Length * 28);
        response.AddRange(query[..questionEnd].ToArray());
        var flags = (ushort)(0x8000 | 0x0400 | (BinaryPrimitives.ReadUInt16BigEndian(query[2..]) & 0x0100) | 0x0080 | (known ? 0 : 3));
        response[2] = (byte)(flags >> 8);
        response[3] = (byte)flags;
        response[6] = (byte)(answers.Length >> 8);
        response[7] = (byte)answers.Length;
        response[8] = response[9] = response[10] = response[11] = 0;
        foreach (var address in answers)
        {
            var rdata = address.GetAddressBytes();
            response.AddRange([0xC0, 0x0C, 0, (byte)type, 0, 1, 0, 0, 0x02, 0x58, 0, (byte)rdata.Length]);
            response.AddRange(rdata);
        }
        return [.. response];
    }

    /// <summary>Who asks, for the lookup table: a container by its address; the host itself (a query from the gateway
    /// address, or from loopback: the bridge's MASQUERADE rule rewrites host-to-gateway traffic leaving through lo)
    /// by the gateway address the query arrived on.</summary>
    internal static IPAddress AskerOf(IPAddress source, IPAddress listener) =>
        IPAddress.IsLoopback(source) || source.Equals(listener) ? listener : source;

    /// <summary>Upstream resolvers to forward to instead of the host's resolv.conf nameservers (port 53); tests
    /// point it at a fake resolver on 127.0.0.1.</summary>
    public IReadOnlyList<IPEndPoint>? Upstreams { get; set; }

    /// <summary>A container's own upstream resolvers (its --dns servers), by container id; null or empty means the
    /// host's. As in Docker, --dns on a user-defined network does not replace the embedded server in the container's
    /// resolv.conf (container names must keep resolving): it only says where the server forwards that container's
    /// other names. Asked at query time, so it always matches the container's current settings, also after a
    /// daemon restart with the container still running.</summary>
    public Func<string, IReadOnlyList<IPEndPoint>?>? ContainerUpstreams { get; set; }

    /// <summary>The answer to <paramref name="query"/> from <paramref name="asker"/>: our own names, or what the
    /// upstream resolvers say; null when nobody answered.</summary>
    public async Task<byte[]?> ResolveAsync(byte[] query, IPAddress asker, CancellationToken ct) =>
        Answer(query, asker) ?? await ForwardAsync(query, UpstreamsFor(asker), ct).ConfigureAwait(false);

    /// <summary>Where a query <paramref name="asker"/> sent goes when we do not own the name.</summary>
    internal IReadOnlyList<IPEndPoint> UpstreamsFor(IPAddress asker)
    {
        if (_owners.TryGetValue(asker, out var containerId) && ContainerUpstreams?.Invoke(containerId) is { Count: > 0 } own) return own;
        return Upstreams ?? HostUpstreams();
    }

    private static async Task<byte[]?> ForwardAsync(byte[] query, IReadOnlyList<IPEndPoint> servers, CancellationToken ct)
    {
        foreach (var server in servers)
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
                await socket.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                var buffer = new byte[4096];
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                return buffer[..n];
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                if (ct.IsCancellationRequested) return null;
            }
        }
        return null;
    }

    private List<IPEndPoint> HostUpstreams()
    {
        var servers = new List<IPEndPoint>();
        try
        {
            foreach (var line in File.ReadLines(_hostResolvConf))
            {
                var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (f is ["nameserver", var ip, ..] && IPAddress.TryParse(ip, out var address)) servers.Add(new IPEndPoint(address, 53));
            }
        }
        catch (IOException e)
        {
            NetworkLog.HostResolvConfUnreadable(_logger, _hostResolvConf, e.Message);
        }
        return servers;
    }

    private static IEnumerable<IPAddress> AddressesOf(EndpointRecord endpoint)
    {
        if (endpoint.IPv4Address.Length > 0) yield return NetworkService.ParseCidr(endpoint.IPv4Address).Address;
        if (endpoint.IPv6Address.Length > 0) yield return NetworkService.ParseCidr(endpoint.IPv6Address).Address;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var listener in _listeners.Values) listener.Dispose();
            _listeners.Clear();
            foreach (var listener in _tcpListeners.Values) listener.Dispose();
            _tcpListeners.Clear();
        }
    }

    private sealed class Listener : IDisposable
    {
        private readonly DnsServer _server;
        private readonly Socket _socket;
        private readonly CancellationTokenSource _stop = new();

        private readonly IPAddress _address;

        public Listener(DnsServer server, IPAddress address)
        {
            _server = server;
            _address = address;
            _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                _socket.Bind(new IPEndPoint(address, 53));
            }
            catch
            {
                _socket.Dispose();
                throw;
            }
            LoopAsync().Observe(server.Logger, "DNS listener " + address);
        }

        private async Task LoopAsync()
        {
            var buffer = new byte[4096];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try { received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { return; }
                var query = buffer[..received.ReceivedBytes];
                ReplyAsync(query, (IPEndPoint)received.RemoteEndPoint).Observe(_server.Logger, "DNS reply");
            }
        }

        private async Task ReplyAsync(byte[] query, IPEndPoint client)
        {
            try
            {
                var answer = await _server.ResolveAsync(query, AskerOf(client.Address, _address), _stop.Token).ConfigureAwait(false);
                if (answer is not null) await _socket.SendToAsync(answer, SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
        }
    }
}

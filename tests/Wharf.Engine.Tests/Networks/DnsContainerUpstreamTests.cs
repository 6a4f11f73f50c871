using Xunit;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Engine.Networks;
using Wharf.Engine.Tests.Containers;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>--dns on a user-defined network: the embedded server keeps answering container names for that container
/// and forwards its other names to the container's own servers (fake resolvers on 127.0.0.1, never a real lookup),
/// while containers without --dns keep using the host's.</summary>
public sealed class DnsContainerUpstreamTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-dnsup");

    /// <summary>A fake resolver answering every A query with <paramref name="answer"/>, recording the names asked.</summary>
    private sealed class FakeResolver : IDisposable
    {
        private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly Task _loop;

        public FakeResolver(byte[] answer)
        {
            _loop = Task.Run(async () =>
            {
                while (true)
                {
                    UdpReceiveResult received;
                    try { received = await _socket.ReceiveAsync(); }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException) { return; }
                    var query = received.Buffer;
                    lock (Seen) Seen.Add(Encoding.ASCII.GetString(query, 13, query[12]));
                    var reply = new List<byte>(query);
                    reply[2] = 0x81; reply[3] = 0x80; reply[7] = 1;
                    reply.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, .. answer]);
                    try { await _socket.SendAsync(reply.ToArray(), reply.Count, received.RemoteEndPoint); }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException) { return; }
                }
            });
        }

        public List<string> Seen { get; } = [];
        public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

        public void Dispose()
        {
            _socket.Dispose();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private NetworkService NewNetworks(string bridge) => new(
        new NetworkOptions { DataRoot = _dir.Combine("d-" + bridge), ExecRoot = _dir.Combine("e-" + bridge), DefaultBridge = bridge, HostResolvConf = _dir.Combine("no-such-resolv.conf") },
        new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);

    [Fact]
    public async Task ResolveAsync_AskerWithOwnDnsServers_ContainerNamesLocal_OtherNamesToItsServersOnly()
    {
        using var host = new FakeResolver([192, 0, 2, 1]);
        using var own = new FakeResolver([198, 51, 100, 7]);
        using var service = NewNetworks("wdnsup0");
        service.Initialize();
        service.Create(new("n", "bridge", false, false, false, [new IpamPool { Subnet = "10.34.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var withDns = "a".PadRight(64, '0');
        var plain = "b".PadRight(64, '0');
        service.Connect("n", withDns, "alpha", "", new EndpointRequest(), "/ns/a", true);
        service.Connect("n", plain, "beta", "", new EndpointRequest(), "/ns/b", true);
        service.Dns.Upstreams = [host.EndPoint];
        var asked = new List<string>();
        service.Dns.ContainerUpstreams = id =>
        {
            lock (asked) asked.Add(id);
            return id == withDns ? [own.EndPoint] : null;
        };
        var alpha = IPAddress.Parse("10.34.0.2");
        var beta = IPAddress.Parse("10.34.0.3");

        // Container names still come from the embedded server for the container with --dns.
        var name = await service.Dns.ResolveAsync(DnsQueries.A("beta", 1), alpha, CancellationToken.None);
        Assert.Equal(new byte[] { 10, 34, 0, 3 }, name![^4..]);
        // Its other names go to its own servers ...
        var external = await service.Dns.ResolveAsync(DnsQueries.A("www.example.test", 2), alpha, CancellationToken.None);
        Assert.Equal(new byte[] { 198, 51, 100, 7 }, external![^4..]);
        // ... while a container without --dns still uses the host's.
        var fromPlain = await service.Dns.ResolveAsync(DnsQueries.A("mail.example.test", 3), beta, CancellationToken.None);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, fromPlain![^4..]);
        // The host itself (asking from the gateway) is nobody's container: the host's resolvers.
        var fromGateway = await service.Dns.ResolveAsync(DnsQueries.A("ftp.example.test", 4), IPAddress.Parse("10.34.0.1"), CancellationToken.None);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, fromGateway![^4..]);

        lock (own.Seen) Assert.Equal(["www"], own.Seen);
        lock (host.Seen) Assert.Equal(["mail", "ftp"], host.Seen);
        lock (asked) Assert.Equal([withDns, plain], asked);

        // Once disconnected, its old address is nobody's: no longer forwarded to its servers.
        service.Disconnect("n", withDns, "/ns/a");
        Assert.Equal([host.EndPoint], service.Dns.UpstreamsFor(alpha));
    }

    [Fact]
    public async Task ContainerNetworking_WithNetworks_HooksContainersDnsServersAsUpstreams()
    {
        await using var harness = await ContainerServiceHarness.CreateAsync();
        using var networks = NewNetworks("wdnsup1");
        networks.Initialize();
        networks.Dns.Upstreams = [new IPEndPoint(IPAddress.Loopback, 5353)];
        harness.UseService(networks: networks);
        networks.Create(new("m", "bridge", false, false, false, [new IpamPool { Subnet = "10.35.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var withDns = harness.Create("withdns", host: h => { h.NetworkMode = "m"; h.Dns = ["192.0.2.53", "2001:db8::53"]; });
        var plain = harness.Create("plain", host: h => h.NetworkMode = "m");
        networks.Connect("m", withDns.Id, withDns.Name, "", new EndpointRequest(), "/ns/w", true);
        networks.Connect("m", plain.Id, plain.Name, "", new EndpointRequest(), "/ns/p", true);

        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 53)],
            networks.Dns.UpstreamsFor(IPAddress.Parse("10.35.0.2")));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5353)], networks.Dns.UpstreamsFor(IPAddress.Parse("10.35.0.3")));
    }

    public void Dispose() => _dir.Dispose();
}

using Xunit;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>Names the embedded DNS server does not own go to the upstream resolvers (here a fake one on
/// 127.0.0.1 given through the server's configuration: never a real lookup); single-label misses never leave.</summary>
public sealed class DnsForwardingTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-dnsfwd");

    [Fact]
    public async Task ResolveAsync_UnknownName_ForwardedToConfiguredUpstream_SingleLabelMissAnsweredLocally()
    {
        using var upstream = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var seen = new List<string>();
        var fake = Task.Run(async () =>
        {
            // Answers each query with its own header, QR set and one A record 192.0.2.44.
            while (true)
            {
                UdpReceiveResult received;
                try { received = await upstream.ReceiveAsync(); }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) { return; }
                var query = received.Buffer;
                lock (seen) seen.Add(Encoding.ASCII.GetString(query, 13, query[12]));
                var answer = new List<byte>(query);
                answer[2] = 0x81; answer[3] = 0x80; answer[7] = 1;
                answer.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 44]);
                await upstream.SendAsync(answer.ToArray(), answer.Count, received.RemoteEndPoint);
            }
        });

        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wfwd0", HostResolvConf = _dir.Combine("no-such-resolv.conf") },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("n", "bridge", false, false, false, [new IpamPool { Subnet = "10.33.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Connect("n", "a".PadRight(64, '0'), "alpha", "", new EndpointRequest(), "/ns/a", true);
        var asker = IPAddress.Parse("10.33.0.2");
        service.Dns.Upstreams = [(IPEndPoint)upstream.Client.LocalEndPoint!];

        var forwarded = await service.Dns.ResolveAsync(DnsQueries.A("www.example.test", 0x4242), asker, CancellationToken.None);
        Assert.NotNull(forwarded);
        Assert.Equal(0x4242, BinaryPrimitives.ReadUInt16BigEndian(forwarded));
        Assert.Equal(new byte[] { 192, 0, 2, 44 }, forwarded[^4..]);

        var own = await service.Dns.ResolveAsync(DnsQueries.A("alpha", 7), asker, CancellationToken.None);
        Assert.Equal(new byte[] { 10, 33, 0, 2 }, own![^4..]);
        // The host, asking from the gateway address, sees the network's names.
        var fromHost = await service.Dns.ResolveAsync(DnsQueries.A("alpha", 6), IPAddress.Parse("10.33.0.1"), CancellationToken.None);
        Assert.Equal(new byte[] { 10, 33, 0, 2 }, fromHost![^4..]);
        var miss = await service.Dns.ResolveAsync(DnsQueries.A("nosuchcontainer", 8), asker, CancellationToken.None);
        Assert.Equal(3, miss![3] & 0x0F); // NXDOMAIN at once
        lock (seen) Assert.Equal(["www"], seen);

        // No upstream answering: no answer (the client times out and retries), never an exception.
        service.Dns.Upstreams = [new IPEndPoint(IPAddress.Loopback, 9)];
        upstream.Dispose();
        Assert.Null(await service.Dns.ResolveAsync(DnsQueries.A("www.example.test", 9), asker, CancellationToken.None));
        await fake;
    }

    public void Dispose() => _dir.Dispose();
}

using Xunit;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

public sealed class DnsServerTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-dns");

    private static byte[] Query(string name, ushort type = 1)
    {
        var q = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            q.Add((byte)label.Length);
            q.AddRange(Encoding.ASCII.GetBytes(label));
        }
        q.AddRange([0, 0, (byte)type, 0, 1]);
        return [.. q];
    }

    [Fact]
    public void Answer_NamesOnSharedNetworksOnly_ElseNxdomainOrForward()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wdns0" },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("n1", "bridge", false, false, false, [new IpamPool { Subnet = "10.31.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Create(new("n2", "bridge", false, false, false, [new IpamPool { Subnet = "10.32.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Connect("n1", "a".PadRight(64, '0'), "alpha", "", new EndpointRequest { Aliases = ["web"] }, "/ns/a", true);
        service.Connect("n1", "b".PadRight(64, '0'), "beta", "", new EndpointRequest(), "/ns/b", true);
        service.Connect("n2", "c".PadRight(64, '0'), "gamma", "", new EndpointRequest(), "/ns/c", true);
        var beta = IPAddress.Parse("10.31.0.3");

        var answer = service.Dns.Answer(Query("WEB"), beta)!;
        Assert.Equal(0x8580, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(2)) & 0xFF8F);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)));
        Assert.Equal(new byte[] { 10, 31, 0, 2 }, answer[^4..]);
        Assert.NotNull(service.Dns.Answer(Query("aaaaaaaaaaaa"), beta)); // short id

        var notShared = service.Dns.Answer(Query("gamma"), beta)!;
        Assert.Equal(3, notShared[3] & 0x0F); // NXDOMAIN: gamma is on another network
        Assert.Null(service.Dns.Answer(Query("example.org"), beta)); // forwarded to the host's resolvers
    }

    [Fact]
    public void Connect_ManyInParallel_NeverFails_AndEveryNameResolvesAfterwards()
    {
        // Parallel starts (compose up) connect concurrently; each connect refreshes the names. A refresh that read
        // a network's endpoints twice failed a connect with KeyNotFoundException, and one that published an older
        // table last left a name unresolvable. A stress check of the outcome (no failure, every name resolving):
        // the race is timing-dependent, so this can pass by luck without the fix.
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wdns9" },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("par", "bridge", false, false, false, [new IpamPool { Subnet = "10.39.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        const int Count = 60;

        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            service.Connect("par", i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture).PadRight(64, '0'), $"c{i}", "", new EndpointRequest(), $"/ns/{i}", true));

        var asker = IPAddress.Parse(service.EndpointOf("par", "00".PadRight(64, '0'))!.IPv4Address.Split('/')[0]);
        for (var i = 0; i < Count; i++)
        {
            var answer = service.Dns.Answer(Query($"c{i}"), asker)!;
            Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)));
        }
    }

    [Fact]
    public void Answer_ContainerOnSeveralNetworks_ResolvesEveryOnesNames_UntilDisconnected()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wdns1" },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("n1", "bridge", false, false, false, [new IpamPool { Subnet = "10.36.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Create(new("n2", "bridge", false, false, false, [new IpamPool { Subnet = "10.37.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var both = "a".PadRight(64, '0');
        service.Connect("n1", both, "both", "", new EndpointRequest(), "/ns/a", true);
        service.Connect("n1", "b".PadRight(64, '0'), "one", "", new EndpointRequest(), "/ns/b", true);
        service.Connect("n2", "c".PadRight(64, '0'), "two", "", new EndpointRequest { Aliases = ["svc"] }, "/ns/c", true);
        // "dup" on both networks: the asking network's address wins.
        service.Connect("n1", "d".PadRight(64, '0'), "dup", "", new EndpointRequest(), "/ns/d", true);
        service.Connect("n2", "e".PadRight(64, '0'), "dup2", "", new EndpointRequest { Aliases = ["dup"] }, "/ns/e", true);
        var fromN1 = IPAddress.Parse("10.36.0.2");
        Assert.Equal(3, service.Dns.Answer(Query("two"), fromN1)![3] & 0x0F); // not on n2 yet

        service.Connect("n2", both, "both", "", new EndpointRequest(), "/ns/a", false);
        Assert.Equal(new byte[] { 10, 37, 0, 2 }, service.Dns.Answer(Query("two"), fromN1)![^4..]);
        Assert.Equal(new byte[] { 10, 37, 0, 2 }, service.Dns.Answer(Query("svc"), fromN1)![^4..]);
        Assert.Equal(new byte[] { 10, 36, 0, 3 }, service.Dns.Answer(Query("one"), IPAddress.Parse("10.37.0.4"))![^4..]); // asked from its n2 address
        var dup = service.Dns.Answer(Query("dup"), fromN1)!;
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(dup.AsSpan(6)));
        Assert.Equal(new byte[] { 10, 36, 0, 4 }, dup[^4..]);
        // A container only on n1 still sees n1's names only.
        Assert.Equal(3, service.Dns.Answer(Query("two"), IPAddress.Parse("10.36.0.3"))![3] & 0x0F);

        service.Disconnect("n2", both, "/ns/a");
        Assert.Equal(3, service.Dns.Answer(Query("two"), fromN1)![3] & 0x0F);
        Assert.Equal(3, service.Dns.Answer(Query("svc"), fromN1)![3] & 0x0F);
        Assert.NotNull(service.Dns.Answer(Query("one"), fromN1));
    }

    [Fact]
    public void Answer_EndpointLinks_AliasResolvesForTheLinkingContainerOnly_TargetStartedLater()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wdns2" },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("n1", "bridge", false, false, false, [new IpamPool { Subnet = "10.38.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Connect("n1", "a".PadRight(64, '0'), "linker", "", new EndpointRequest { Links = ["upstream:bar"] }, "/ns/a", true);
        var linker = IPAddress.Parse("10.38.0.2");
        Assert.Equal(3, service.Dns.Answer(Query("bar"), linker)![3] & 0x0F); // the target is not there yet

        service.Connect("n1", "b".PadRight(64, '0'), "upstream", "", new EndpointRequest(), "/ns/b", true);
        service.Connect("n1", "c".PadRight(64, '0'), "bystander", "", new EndpointRequest(), "/ns/c", true);

        Assert.Equal(new byte[] { 10, 38, 0, 3 }, service.Dns.Answer(Query("bar"), linker)![^4..]);
        Assert.Equal(3, service.Dns.Answer(Query("bar"), IPAddress.Parse("10.38.0.4"))![3] & 0x0F); // not its link
    }

    public void Dispose() => _dir.Dispose();
}

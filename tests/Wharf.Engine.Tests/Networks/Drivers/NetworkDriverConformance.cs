using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

/// <summary>What every network driver must do, run against the recording netlink fake: a derived class names the
/// driver and a network it can create; the facts check the contract of <see cref="INetworkDriver"/> (create and
/// delete leave the host as it was, delete and leave are idempotent, join wires the endpoint's interface with its
/// addresses, restore of intact networks reports nothing stale, option values are checked, unknown keys ignored).</summary>
public abstract class NetworkDriverConformance : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-driver");
    private readonly List<NetworkRecord> _networks = [];

    protected NetworkDriverConformance()
    {
        Directory.CreateDirectory(_dir.Combine("network"));
        Context = new NetworkDriverContext(Netlink, _dir.Combine("network"), 0, () => _networks, NullLogger.Instance);
    }

    protected RecordingNetlink Netlink { get; } = new();

    protected NetworkDriverContext Context { get; }

    protected FirewallRules Rules { get; } = new("wt9");

    /// <summary>A new instance of the driver under test (a second call is "the daemon restarted").</summary>
    protected abstract INetworkDriver NewDriver();

    /// <summary>A network of the driver as the service hands it over: id, name, options and IPAM pools chosen.</summary>
    protected abstract NetworkRecord SampleNetwork();

    /// <summary>Records the network as the service's list would hold it (drivers check clashes against it).</summary>
    protected void Track(NetworkRecord network) => _networks.Add(network);

    /// <summary>The record is gone, as the service removes it before asking the driver to delete the network.</summary>
    protected void Untrack(NetworkRecord network) => _networks.Remove(network);

    protected static NetworkRecord Network(string driver, string name, string subnet, string gateway, Dictionary<string, string>? options = null) => new()
    {
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        Name = name,
        Driver = driver,
        Ipam = [new IpamPool { Subnet = subnet, Gateway = gateway }],
        Options = options ?? [],
    };

    protected static EndpointRecord Endpoint(string address) => new()
    {
        ContainerId = "c".PadRight(64, '1'),
        EndpointId = "e0123456789".PadRight(64, 'f'),
        InterfaceName = "eth0",
        MacAddress = "02:42:0a:00:00:02",
        IPv4Address = address,
    };

    [Fact]
    public void Name_ResolvesThroughTheRegistry()
    {
        var driver = NewDriver();
        var registry = new NetworkDriverRegistry([driver]);
        Assert.Same(driver, registry.Get(driver.Name));
        Assert.Equal(SampleNetwork().Driver, driver.Name);
    }

    [Fact]
    public void ValidateOptions_UnknownKeyIgnored_BadMtuRefused()
    {
        var driver = NewDriver();
        driver.ValidateOptions(new Dictionary<string, string> { ["com.example.owner"] = "team-a" });
        if (driver.Capabilities.Singleton) return;
        var error = Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string> { [DriverOptionRules.Mtu] = "big" }));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public async Task CreateThenDelete_LeavesTheHostAsItWas_AndDeleteIsIdempotent()
    {
        var before = Netlink.Links.ToHashSet();
        var driver = NewDriver();
        var network = SampleNetwork();
        await driver.CreateAsync(network, CancellationToken.None);
        await driver.DeleteAsync(network, CancellationToken.None);
        await driver.DeleteAsync(network, CancellationToken.None);
        Assert.Equal(before.Order(), Netlink.Links.Order());
    }

    [Fact]
    public async Task JoinThenLeave_WiresTheEndpointInterface_AndLeavesNothingOnTheHost()
    {
        var driver = NewDriver();
        if (!driver.Capabilities.AcceptsEndpoints) return;
        var network = SampleNetwork();
        await driver.CreateAsync(network, CancellationToken.None);
        Track(network);
        var hostLinks = Netlink.Links.ToHashSet();
        var endpoint = Endpoint(network.Ipam[0].Subnet.Replace(".0/", ".2/", StringComparison.Ordinal));
        var address = NetworkService.ParseCidr(endpoint.IPv4Address);
        var interfaces = await driver.JoinAsync(network, endpoint, new EndpointJoin("/ns/conformance", 0, [address], null, null), CancellationToken.None);
        var first = interfaces[0];
        Assert.Equal("eth0", first.Name);
        Assert.Equal([address], first.Addresses);
        Assert.Contains(Netlink.Created, l => l.PeerName == "eth0" && l.NamespacePath == "/ns/conformance" && l.PeerMac == endpoint.MacAddress);
        await driver.LeaveAsync(network, endpoint, "/ns/conformance", CancellationToken.None);
        await driver.LeaveAsync(network, endpoint, namespacePath: null, CancellationToken.None);
        Assert.Equal(hostLinks.Order(), Netlink.Links.Order());
    }

    [Fact]
    public async Task Restore_AfterRestart_ReportsNothingStaleForIntactNetworks()
    {
        var network = SampleNetwork();
        await NewDriver().CreateAsync(network, CancellationToken.None);
        Track(network);
        var stale = await NewDriver().RestoreAsync([network], CancellationToken.None);
        Assert.Empty(stale);
    }

    [Fact]
    public void FirewallRules_OnlyNameTheNetworksOwnInterface()
    {
        var driver = NewDriver();
        var network = SampleNetwork();
        network.Interface = "wtconf0";
        foreach (var ipv6 in new[] { false, true })
            foreach (var rule in driver.FirewallRulesOf(network, Rules, ipv6))
                Assert.Contains("wtconf0", rule.Line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Net;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

/// <summary>A driver the service has never heard of (a stand-in for overlay: global scope, a second interface per
/// endpoint, rules of its own) works through the service alone: registering it is the only change.</summary>
public sealed class ServiceWithExtraDriverTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-net-extra");
    private readonly RecordingNetlink _netlink = new();
    private readonly RecordingFirewall _firewall = new();
    private readonly RecordingNamespaceOps _namespaces = new();

    private sealed class TunnelDriver : INetworkDriver
    {
        public List<string> Steps { get; } = [];

        public string Name => "tunnel";

        public NetworkScope Scope => NetworkScope.Global;

        public NetworkDriverCapabilities Capabilities { get; } = new() { AcceptsEndpoints = true, UsesIpam = true, HasGateway = true };

        public void ValidateOptions(IReadOnlyDictionary<string, string> options)
        {
            if (options.TryGetValue("vni", out var vni) && !int.TryParse(vni, System.Globalization.CultureInfo.InvariantCulture, out _)) throw EngineException.Invalid("bad vni");
        }

        public async ValueTask CreateAsync(NetworkRecord network, CancellationToken ct)
        {
            await Task.Delay(1, ct).ConfigureAwait(false); // a cluster store answers later: the service must wait for it
            network.Interface = "tun-" + network.Id[..6];
            Steps.Add("create " + network.Name);
        }

        public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct)
        {
            Steps.Add("delete " + network.Name);
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct)
        {
            Steps.Add("join " + endpoint.ContainerName);
            endpoint.DriverState["second"] = "eth9";
            return ValueTask.FromResult<IReadOnlyList<NamespaceInterface>>(
            [
                new NamespaceInterface(endpoint.InterfaceName, join.Addresses, null, null),
                new NamespaceInterface("eth9", [new NetAddress(IPAddress.Parse("172.31.0.2"), 16)], join.Gateway, null),
            ]);
        }

        public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct)
        {
            Steps.Add($"leave {endpoint.ContainerName} {endpoint.DriverState.GetValueOrDefault("second")}");
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct)
        {
            Steps.Add("restore " + string.Join(',', networks.Select(n => n.Name)));
            return ValueTask.FromResult<IReadOnlyList<NetworkRecord>>([]);
        }

        public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) =>
            ipv6 ? [] : [new FirewallRule("filter", $"-A FORWARD -i {network.Interface} -j ACCEPT")];
    }

    private NetworkService NewService(TunnelDriver tunnel)
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wtx0", ChainPrefix = "wtx" },
            _netlink, _namespaces, _firewall, null, TimeProvider.System, drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), tunnel]);
        service.Initialize();
        return service;
    }

    [Fact]
    public void ExtraDriver_CreateConnectDisconnectRemoveAndRestore_ThroughTheServiceOnly()
    {
        var tunnel = new TunnelDriver();
        string interfaceName;
        using (var service = NewService(tunnel))
        {
            var network = service.Create(new NetworkCreateParams("t", "tunnel", false, false, false, [new IpamPool { Subnet = "10.77.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
            interfaceName = network.Interface;
            Assert.Equal("10.77.0.1", network.Ipam[0].Gateway); // HasGateway: the service picks it
            Assert.Contains($"-A FORWARD -i {interfaceName} -j ACCEPT", _firewall.Rules("filter"));
            Assert.Equal("bad vni", Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams("u", "tunnel", false, false, false, [], new Dictionary<string, string> { ["vni"] = "x" }, new Dictionary<string, string>()))).Message);

            var endpoint = service.Connect("t", "a".PadRight(64, '1'), "web", "", new EndpointRequest(), "/ns/t", defaultRoute: true);
            Assert.Equal("10.77.0.2/24", endpoint.IPv4Address);
            var configured = _netlink.Configured["/ns/t"];
            Assert.Equal(["eth0", "eth9"], configured.Select(i => i.Name));
            Assert.Equal(IPAddress.Parse("10.77.0.1"), configured[1].Gateway);
            Assert.Empty(_netlink.Created); // the driver, not the service, decides which links exist
        }
        using (var service = NewService(tunnel))
        {
            // Its state came back from the record: leave sees what join stored.
            service.Disconnect("t", "a".PadRight(64, '1'), "/ns/t");
            service.Remove("t");
            Assert.DoesNotContain(_firewall.Rules("filter"), r => r.Contains(interfaceName, StringComparison.Ordinal));
        }
        Assert.Equal(["restore ", "create t", "join web", "restore t", "leave web eth9", "delete t"], tunnel.Steps);
    }

    [Fact]
    public void Connect_ToNetworksWithoutEndpoints_RefusedWithDockersWords()
    {
        using var service = NewService(new TunnelDriver());
        foreach (var name in new[] { "host", "none" })
        {
            var error = Assert.Throws<EngineException>(() => service.Connect(name, "b".PadRight(64, '2'), "b", "", new EndpointRequest(), "/ns/b", true));
            Assert.Equal((ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network"), (error.Kind, error.Message));
        }
        foreach (var driver in new[] { "host", "null" })
            Assert.Equal($"only one instance of \"{driver}\" network is allowed",
                Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams("x" + driver, driver, false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()))).Message);
    }

    public void Dispose() => _dir.Dispose();
}

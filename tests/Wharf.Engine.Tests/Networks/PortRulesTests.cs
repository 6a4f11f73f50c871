using Xunit;
using System.Net;
using System.Net.Sockets;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>Published ports get Docker's DNAT / ACCEPT / hairpin MASQUERADE rules beside the proxy, removed exactly
/// on release; bridges' traffic is never DNATed (RETURN on top of nat WHARF); a restart re-creates live endpoints'
/// rules and deletes rules of endpoints that are gone.</summary>
public sealed class PortRulesTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-ports");
    private readonly RecordingNetlink _netlink = new();
    private readonly RecordingNamespaceOps _namespaces = new();
    private readonly RecordingFirewall _firewall = new();

    private NetworkService NewService(TimeSpan? portRuleHold = null)
    {
        var options = new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wptest0", ChainPrefix = "wp1" };
        if (portRuleHold is { } hold) options = options with { PortRuleHold = hold };
        var service = new NetworkService(options,
            _netlink, _namespaces, _firewall, null, TimeProvider.System);
        service.Initialize();
        return service;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void PublishPorts_AddsDockerRules_LoopbackOnlyNone_ReleaseRemovesThem_RestartReconciles()
    {
        var hostPort = FreePort();
        var loopbackPort = FreePort();
        var id = "a".PadRight(64, '1');
        string bridge;
        using (var service = NewService())
        {
            var net = service.Create(new("web", "bridge", false, false, false, [new IpamPool { Subnet = "10.71.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
            bridge = net.Interface;
            service.Connect("web", id, "srv", "", new EndpointRequest(), "/ns/a", defaultRoute: true);
            service.PublishPorts("web", id, new Dictionary<string, List<PortMapping>>
            {
                ["80/tcp"] = [new PortMapping { HostPort = hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
                ["81/tcp"] = [new PortMapping { HostIp = "127.0.0.1", HostPort = loopbackPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
            });
            service.FlushBackgroundWork();

            var dnat = $"-A wp1WHARF ! -i {bridge} -p tcp -m tcp --dport {hostPort} -j DNAT --to-destination 10.71.0.2:80";
            var accept = $"-A wp1WHARF -d 10.71.0.2/32 ! -i {bridge} -o {bridge} -p tcp -m tcp --dport 80 -j ACCEPT";
            var hairpin = "-A POSTROUTING -s 10.71.0.2/32 -d 10.71.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE";
            Assert.Contains(dnat, _firewall.Rules("nat"));
            Assert.Contains(accept, _firewall.Rules("filter"));
            Assert.Contains(hairpin, _firewall.Rules("nat"));
            // 127.0.0.1 is the proxy's alone: OUTPUT never DNATs loopback.
            Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains($"--dport {loopbackPort}", StringComparison.Ordinal));
            // Bridges RETURN before any DNAT: their containers reach host ports through the proxy.
            var natDocker = _firewall.Rules("nat").Where(r => r.StartsWith("-A wp1WHARF ", StringComparison.Ordinal)).ToList();
            Assert.Equal($"-A wp1WHARF -i {bridge} -j RETURN", natDocker.First(r => r.Contains(bridge, StringComparison.Ordinal)));
            Assert.True(natDocker.IndexOf($"-A wp1WHARF -i {bridge} -j RETURN") < natDocker.IndexOf(dnat));

            service.ReleaseContainer(id);
            service.FlushBackgroundWork();
            Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains("10.71.0.2", StringComparison.Ordinal));
            Assert.DoesNotContain(_firewall.Rules("filter"), r => r.Contains("10.71.0.2", StringComparison.Ordinal));

            // A live endpoint with a port, then the daemon "crashes" after its rules vanished and a dead one's stayed.
            service.Connect("web", "b".PadRight(64, '2'), "live", "", new EndpointRequest(), "/ns/b", defaultRoute: true);
            service.PublishPorts("web", "b".PadRight(64, '2'), new Dictionary<string, List<PortMapping>> { ["8080/tcp"] = [new PortMapping()] });
            service.FlushBackgroundWork();
        }
        var live = Assert.Single(_firewall.Rules("nat"), r => r.Contains("--to-destination 10.71.0.2:8080", StringComparison.Ordinal));
        _firewall.Apply($"*nat\n-D{live[2..]}\n-A wp1WHARF ! -i {bridge} -p tcp -m tcp --dport 9 -j DNAT --to-destination 10.71.0.99:9\n" +
            "-A POSTROUTING -s 10.71.0.99/32 -d 10.71.0.99/32 -p tcp -m tcp --dport 9 -j MASQUERADE\n" +
            "-A POSTROUTING -s 10.200.0.9/32 -d 10.200.0.9/32 -p tcp -m tcp --dport 9 -j MASQUERADE\nCOMMIT\n");
        using (var restarted = NewService())
        {
            Assert.Contains(live, _firewall.Rules("nat"));
            Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains("10.71.0.99", StringComparison.Ordinal));
            // Not in one of our subnets: another daemon's rule, left alone.
            Assert.Contains(_firewall.Rules("nat"), r => r.Contains("10.200.0.9", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void PublishPorts_TakenHostPort_FailsWithDockerWordsAndAddsNoRule()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var service = NewService();
        service.Create(new("p", "bridge", false, false, false, [new IpamPool { Subnet = "10.72.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var id = "c".PadRight(64, '3');
        service.Connect("p", id, "c", "", new EndpointRequest(), "/ns/c", defaultRoute: true);
        var batches = _firewall.Batches.Count;
        var error = Assert.Throws<Wharf.Core.Errors.EngineException>(() => service.PublishPorts("p", id, new Dictionary<string, List<PortMapping>>
        {
            ["80/tcp"] = [new PortMapping { HostPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
        }));
        Assert.Contains("port is already allocated", error.Message);
        service.FlushBackgroundWork();
        Assert.Equal(batches, _firewall.Batches.Count);
        Assert.Empty(service.EndpointOf("p", id)!.Ports);
    }

    [Fact]
    public void PortRules_OfAContainerGoneWithinTheHold_NeverReachTheKernel()
    {
        using var service = NewService(portRuleHold: TimeSpan.FromMinutes(10));
        service.Create(new("short", "bridge", false, false, false, [new IpamPool { Subnet = "10.73.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var id = "d".PadRight(64, '4');
        service.Connect("short", id, "job", "", new EndpointRequest(), "/ns/d", defaultRoute: true);
        service.FlushBackgroundWork();
        var batches = _firewall.Batches.Count;

        service.PublishPorts("short", id, new Dictionary<string, List<PortMapping>> { ["80/tcp"] = [new PortMapping()] });
        var hostPort = service.EndpointOf("short", id)!.Ports["80/tcp"][0].HostPort;
        service.ReleaseContainer(id);
        service.FlushBackgroundWork();

        Assert.DoesNotContain(_firewall.Batches.Skip(batches), b => b.Contains("10.73.0.2", StringComparison.Ordinal));
        Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains($"--dport {hostPort} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PortRules_LandOnTheirOwnAfterTheHold_AndGoAtRelease()
    {
        using var service = NewService(portRuleHold: TimeSpan.FromMilliseconds(50));
        service.Create(new("long", "bridge", false, false, false, [new IpamPool { Subnet = "10.74.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var id = "e".PadRight(64, '5');
        service.Connect("long", id, "srv", "", new EndpointRequest(), "/ns/e", defaultRoute: true);
        service.PublishPorts("long", id, new Dictionary<string, List<PortMapping>> { ["80/tcp"] = [new PortMapping()] });

        // No flush: the hold's own timer sends them.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_firewall.Rules("nat").Any(r => r.Contains("--to-destination 10.74.0.2:80", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Single(_firewall.Rules("nat"), r => r.Contains("--to-destination 10.74.0.2:80", StringComparison.Ordinal));

        service.ReleaseContainer(id);
        service.FlushBackgroundWork();
        Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains("10.74.0.2", StringComparison.Ordinal));
        Assert.DoesNotContain(_firewall.Rules("filter"), r => r.Contains("10.74.0.2", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}

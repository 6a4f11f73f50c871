using Wharf.Core.Errors;
using Wharf.Engine.Swarm;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>A daemon without a cluster store and outside a swarm (issue 18 §1): `network create -d overlay` is refused
/// with Docker's reason and Wharf's other way, before anything is made or saved.</summary>
public sealed class OverlayWithoutStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-overlay-nostore");
    private readonly RecordingNetlink _netlink = new();

    [Fact]
    public void Create_OverlayWithoutClusterStore_IsA503AndLeavesNothing()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wovl0", ChainPrefix = "wo1" },
            _netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System,
            drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), new SwarmOverlayDriver(context, new SwarmMembership(_dir.Combine("data")))]);
        service.Initialize();
        var networksBefore = service.All().Count;
        var linksBefore = _netlink.Created.Count;
        var filesBefore = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Length;

        var error = Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams(
            "ov1", "overlay", false, true, false, [new IpamPool { Subnet = "10.210.0.0/24" }],
            new Dictionary<string, string>(), new Dictionary<string, string>())));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.StartsWith("This node is not a swarm manager.", error.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster-store etcd://HOST:PORT", error.Message, StringComparison.Ordinal);
        Assert.Equal(networksBefore, service.All().Count);
        Assert.Equal(linksBefore, _netlink.Created.Count);
        Assert.Equal(filesBefore, Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Length);
    }

    public void Dispose() => _dir.Dispose();
}

using Wharf.Core.Errors;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>A daemon without a cluster store (issue 18 §1): `network create -d overlay` is refused with the reason,
/// before anything is made or saved.</summary>
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
            drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), new OverlayUnavailableDriver(OverlayUnavailableDriver.NoClusterStore)]);
        service.Initialize();
        var networksBefore = service.All().Count;
        var linksBefore = _netlink.Created.Count;
        var filesBefore = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Length;

        var error = Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams(
            "ov1", "overlay", false, true, false, [new IpamPool { Subnet = "10.210.0.0/24" }],
            new Dictionary<string, string>(), new Dictionary<string, string>())));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("overlay networks need a cluster store", error.Message, StringComparison.Ordinal);
        Assert.Equal(networksBefore, service.All().Count);
        Assert.Equal(linksBefore, _netlink.Created.Count);
        Assert.Equal(filesBefore, Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Length);
    }

    public void Dispose() => _dir.Dispose();
}

using System.Diagnostics;
using Wharf.Core.Cluster;

namespace Wharf.Cluster.Tests;

public sealed class EtcdClusterStoreTests(EtcdFixture etcd) : ClusterStoreConformance, IClassFixture<EtcdFixture>, IAsyncLifetime
{
    private readonly EtcdClusterStore _store = new(ClusterStoreAddress.Parse(etcd.Server.Url));

    private protected override IClusterStore Store => _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private protected override async Task CompactAsync(long revision)
    {
        using var etcdctl = Process.Start(new ProcessStartInfo("/usr/bin/etcdctl")
        {
            ArgumentList = { "--endpoints", $"127.0.0.1:{etcd.Server.ClientPort}", "compact", revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Environment = { ["ETCDCTL_API"] = "3" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await etcdctl.WaitForExitAsync();
        Assert.True(etcdctl.ExitCode == 0, await etcdctl.StandardError.ReadToEndAsync());
    }
}

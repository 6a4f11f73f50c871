using Wharf.Core.Cluster;

namespace Wharf.Cluster.Tests;

public sealed class EtcdEndpointDirectoryTests(EtcdFixture etcd) : EndpointDirectoryConformance, IClassFixture<EtcdFixture>
{
    private protected override IClusterStore OpenClient() => new EtcdClusterStore(ClusterStoreAddress.Parse(etcd.Server.Url));

    // etcd killed and started again on the same data; the changes are made once it is back, before the follower's
    // watch (reconnecting with backoff) catches up.
    private protected override Func<Func<Task>, Task> Outage => async whileDown =>
    {
        await etcd.Server.StopAsync();
        await Task.Delay(500);
        await etcd.Server.StartAsync();
        await whileDown();
    };
}

using Wharf.Core.Cluster;

namespace Wharf.Cluster.Tests;

public sealed class EtcdClusterStateTests(EtcdFixture etcd) : ClusterStateConformance, IClassFixture<EtcdFixture>
{
    // One gRPC client per simulated host, as three daemons would have.
    private protected override IClusterStore OpenClient() => new EtcdClusterStore(ClusterStoreAddress.Parse(etcd.Server.Url));
}

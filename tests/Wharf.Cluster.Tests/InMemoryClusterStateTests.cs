using Wharf.Core.Cluster;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

public sealed class InMemoryClusterStateTests : ClusterStateConformance
{
    private readonly InMemoryClusterStore _store = new();

    // Every "host" shares the one in-memory store; disposing a client must not end it for the others.
    private protected override IClusterStore OpenClient() => new SharedClusterStoreClient(_store);
}

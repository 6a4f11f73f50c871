using Wharf.Core.Cluster;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

public sealed class InMemoryEndpointDirectoryTests : EndpointDirectoryConformance
{
    private readonly InMemoryClusterStore _store = new();

    private protected override IClusterStore OpenClient() => new SharedClusterStoreClient(_store);

    private protected override Func<Func<Task>, Task> Outage => async whileDown =>
    {
        _store.Unavailable = true;
        await Task.Delay(100);
        // The fake refuses every call while down; the changes happen "at once" as it comes back, before the
        // follower's retry lists again.
        _store.Unavailable = false;
        await whileDown();
    };
}

using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>One etcd for a test class (tests keep apart by key prefix); stopped and removed after the class.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EtcdServerProcess.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

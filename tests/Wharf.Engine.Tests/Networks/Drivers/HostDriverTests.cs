using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class HostDriverTests : NetworkDriverConformance
{
    protected override INetworkDriver NewDriver() => new HostDriver();

    protected override NetworkRecord SampleNetwork() => new() { Id = "h".PadRight(64, '0'), Name = "host", Driver = "host" };

    [Fact]
    public void Capabilities_HostNamespace_NoEndpoints_OneInstance() =>
        Assert.True(NewDriver().Capabilities is { UsesHostNamespace: true, Singleton: true, AcceptsEndpoints: false, UsesIpam: false });

    [Fact]
    public async Task Join_NeverAsked_Throws() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => NewDriver().JoinAsync(SampleNetwork(), Endpoint(""), new EndpointJoin("/ns/h", 0, [], null, null), CancellationToken.None).AsTask());
}

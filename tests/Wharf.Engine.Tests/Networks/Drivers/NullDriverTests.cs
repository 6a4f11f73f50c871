using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class NullDriverTests : NetworkDriverConformance
{
    protected override INetworkDriver NewDriver() => new NullDriver();

    protected override NetworkRecord SampleNetwork() => new() { Id = "n".PadRight(64, '0'), Name = "none", Driver = "null" };

    [Fact]
    public void Capabilities_OwnNamespace_NoEndpoints_OneInstance() =>
        Assert.True(NewDriver().Capabilities is { UsesHostNamespace: false, Singleton: true, AcceptsEndpoints: false, UsesIpam: false });
}

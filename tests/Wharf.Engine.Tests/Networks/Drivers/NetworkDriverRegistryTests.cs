using Wharf.Core.Errors;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class NetworkDriverRegistryTests
{
    [Fact]
    public void Get_UnknownName_IsDockersPluginNotFound()
    {
        var registry = new NetworkDriverRegistry([new HostDriver(), new NullDriver()]);
        var error = Assert.Throws<EngineException>(() => registry.Get("weave"));
        Assert.Equal((ErrorKind.NotFound, "plugin \"weave\" not found"), (error.Kind, error.Message));
        Assert.False(registry.TryGet("Host", out _)); // names are exact, as Docker's
        Assert.Equal(["host", "null"], registry.Names);
    }

    [Fact]
    public void New_TwoDriversWithOneName_Refused() =>
        Assert.Throws<ArgumentException>(() => new NetworkDriverRegistry([new HostDriver(), new HostDriver()]));
}

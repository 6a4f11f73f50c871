using Wharf.Core.Oci;
using Wharf.Engine.Containers.Security;
using Wharf.Engine.Execs;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>What the host's capability bounding set decides: a privileged exec's set, and the --cap-add names the
/// host cannot grant.</summary>
public sealed class HostCapabilityTests
{
    private static readonly SpecProcess DefaultContainer = new()
    {
        Args = ["sh"],
        Capabilities = new SpecCapabilities { Bounding = ["CAP_CHOWN", "CAP_KILL"], Effective = ["CAP_CHOWN", "CAP_KILL"], Permitted = ["CAP_CHOWN", "CAP_KILL"] },
        NoNewPrivileges = true,
    };

    private static readonly string[] Host = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"];

    [Fact]
    public void Build_PrivilegedExec_GetsTheHostsBoundingSetNotTheContainers()
    {
        var process = ExecProcessBuilder.Build(DefaultContainer, new ExecCreateParams { Cmd = ["sh"], Privileged = true }, user: null, Host);

        Assert.Equal(Host, process.Capabilities!.Bounding);
        Assert.Equal(Host, process.Capabilities.Effective);
        Assert.Equal(Host, process.Capabilities.Permitted);
        Assert.False(process.NoNewPrivileges);
    }

    [Fact]
    public void Build_UnprivilegedExec_KeepsTheContainersSetWhateverTheHostHas()
    {
        var process = ExecProcessBuilder.Build(DefaultContainer, new ExecCreateParams { Cmd = ["sh"] }, user: null, Host);

        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], process.Capabilities!.Effective);
        Assert.True(process.NoNewPrivileges);
    }

    [Fact]
    public void Find_CapAddTheHostLacks_NamesEachOnceNormalized()
    {
        var missing = UnavailableCapabilities.Find(["sys_resource", "NET_ADMIN", "CAP_SYS_RESOURCE", "cap_sys_time"], privileged: false, Host);

        Assert.Equal(["CAP_SYS_RESOURCE", "CAP_SYS_TIME"], missing);
        Assert.Contains("CAP_SYS_RESOURCE", UnavailableCapabilities.Warning(missing[0]));
    }

    [Fact]
    public void Find_AllPrivilegedOrUnknownHost_NeverWarns()
    {
        Assert.Empty(UnavailableCapabilities.Find(["ALL"], privileged: false, Host));
        Assert.Empty(UnavailableCapabilities.Find(["SYS_RESOURCE"], privileged: true, Host));
        Assert.Empty(UnavailableCapabilities.Find(["SYS_RESOURCE"], privileged: false, hostBounding: null));
    }
}

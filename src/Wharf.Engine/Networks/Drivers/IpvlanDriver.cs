using Wharf.Core.Errors;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>ipvlan, l2 (default: the parent's MAC, switched on its network) or l3 (routed through the parent: the
/// endpoint's default route is the device itself, no gateway).</summary>
public sealed class IpvlanDriver(NetworkDriverContext context) : ParentLinkDriver(context)
{
    public const string DriverName = "ipvlan";
    public const string ModeOption = "ipvlan_mode";

    public override string Name => DriverName;

    protected override void CheckOption(string key, string value)
    {
        if (key == ModeOption && value is not ("l2" or "l3")) throw EngineException.Invalid($"ipvlan mode {value} is not supported (l2, l3)");
    }

    protected override string ModeOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Options.GetValueOrDefault(ModeOption) ?? "l2";
    }

    protected override bool RoutesViaGateway(NetworkRecord network) => ModeOf(network) != "l3";
}

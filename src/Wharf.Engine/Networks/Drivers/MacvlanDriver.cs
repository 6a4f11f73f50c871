using Wharf.Core.Errors;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>macvlan in bridge mode: each endpoint a MAC of its own on the parent's network.</summary>
public sealed class MacvlanDriver(NetworkDriverContext context) : ParentLinkDriver(context)
{
    public const string DriverName = "macvlan";
    public const string ModeOption = "macvlan_mode";

    public override string Name => DriverName;

    protected override void CheckOption(string key, string value)
    {
        if (key == ModeOption && value != "bridge") throw EngineException.Invalid($"macvlan mode {value} is not supported (only bridge)");
    }

    protected override string ModeOf(NetworkRecord network) => "bridge";
}

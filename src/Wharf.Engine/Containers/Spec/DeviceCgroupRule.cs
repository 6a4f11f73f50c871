using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;
using Wharf.Core.Oci;

namespace Wharf.Engine.Containers.Spec;

/// <summary>--device-cgroup-rule "TYPE MAJOR:MINOR ACCESS" (type a|b|c, major/minor a number or '*', access a
/// subset of "rwm"), as Docker parses it into an allow rule of the device cgroup.</summary>
public static partial class DeviceCgroupRule
{
    [GeneratedRegex(@"^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$")]
    private static partial Regex Grammar();

    public static SpecDeviceRule Parse(string rule)
    {
        var match = Grammar().Match(rule);
        if (!match.Success) throw EngineException.Invalid($"invalid device cgroup format '{rule}'");
        static long? Number(string text) => text == "*" ? null : long.Parse(text, CultureInfo.InvariantCulture);
        return new SpecDeviceRule
        {
            Allow = true,
            Type = match.Groups[1].Value,
            Major = Number(match.Groups[2].Value),
            Minor = Number(match.Groups[3].Value),
            Access = match.Groups[4].Value,
        };
    }
}

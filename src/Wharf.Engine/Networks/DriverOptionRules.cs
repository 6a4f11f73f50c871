using System.Globalization;
using System.Net;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

/// <summary>Driver options (<c>-o key=value</c>) as Docker's drivers read them: a key the driver does not know is
/// ignored (Docker's bridge, macvlan and ipvlan drivers never refuse one: options are a shared bag other tools write
/// into too), but the value of a key it does know must parse, or the create fails with a 400 in the driver's words.
/// Each driver's <see cref="Drivers.INetworkDriver.ValidateOptions"/> applies the checks it needs.</summary>
public static class DriverOptionRules
{
    public const string Mtu = "com.docker.network.driver.mtu";

    /// <summary>The checks every driver makes on an option it reads whatever the driver: the MTU.</summary>
    public static void CheckCommon(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key == Mtu) CheckMtu(value);
    }

    /// <summary>A boolean option must parse as Go's strconv.ParseBool does.</summary>
    public static void CheckBool(string key, string value)
    {
        if (!TryParseBool(value, out _)) throw ParseError(key, value, $"strconv.ParseBool: parsing \"{value}\": invalid syntax");
    }

    /// <summary>An address option must parse (Go's net.ParseIP: "nil ip" otherwise).</summary>
    public static void CheckIp(string key, string value)
    {
        if (!IPAddress.TryParse(value, out _)) throw ParseError(key, value, "nil ip");
    }

    /// <summary>Go's strconv.ParseBool, which Docker's drivers use: 1 t T TRUE true True, 0 f F FALSE false False.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A boolean option of a network as its driver reads it; <paramref name="fallback"/> when absent or
    /// unreadable (records written before values were checked).</summary>
    public static bool Flag(NetworkRecord network, string key, bool fallback)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Options.TryGetValue(key, out var text) && TryParseBool(text, out var value) ? value : fallback;
    }

    private static void CheckMtu(string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var mtu))
            throw ParseError(Mtu, value, $"strconv.Atoi: parsing \"{value}\": invalid syntax");
        if (mtu is < int.MinValue or > int.MaxValue)
            throw ParseError(Mtu, value, $"strconv.Atoi: parsing \"{value}\": value out of range");
        // 0 means "the default". Docker only refuses negatives up front and lets the kernel refuse the rest
        // (68..65535) later with a bare "invalid argument"; refusing them here gives the same 400 with a reason.
        if (mtu < 0 || (mtu > 0 && mtu < 68) || mtu > 65535)
            throw EngineException.Invalid($"invalid MTU number: {mtu}");
    }

    private static EngineException ParseError(string key, string value, string reason) =>
        EngineException.Invalid($"failed to parse {key} value: {value} ({reason})");
}

using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>--blkio-weight-device and --device-{read,write}-{bps,iops}: "DEVICE:VALUE" with a /dev/ path, checked as
/// the docker CLI checks them (opts.ValidateWeightDevice / ValidateThrottle*Device) and with its words, so a mistake
/// fails before anything is sent.</summary>
internal static class BlkioDeviceFlags
{
    private const string BpsFormat = "The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb";
    private const string IopsFormat = "The correct format is <device-path>:<number>. Number must be a positive integer";

    /// <summary>"/dev/sda:200": a weight 10-1000, or 0 (no weight for that device).</summary>
    public static ThrottleDevice Weight(string spec)
    {
        var (path, value) = Split(spec, "blkio-weight-device");
        if (!ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight is > 0 and (< 10 or > 1000))
        {
            throw Invalid(spec, "blkio-weight-device", $"invalid weight for device: {spec}");
        }

        return new ThrottleDevice { Path = path, Weight = weight };
    }

    /// <summary>"/dev/sda:1mb": bytes per second, in go-units' binary sizes.</summary>
    public static ThrottleDevice Bps(string spec, string flag)
    {
        var (path, value) = Split(spec, flag);
        long rate;
        try
        {
            rate = ByteSize.Parse(value, "--" + flag);
        }
        catch (CliUsageException)
        {
            throw Invalid(spec, flag, $"invalid rate for device: {spec}. {BpsFormat}");
        }

        return new ThrottleDevice { Path = path, Rate = rate };
    }

    /// <summary>"/dev/sda:1000": IO operations per second, a plain unsigned number.</summary>
    public static ThrottleDevice Iops(string spec, string flag)
    {
        var (path, value) = Split(spec, flag);
        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate > long.MaxValue)
        {
            throw Invalid(spec, flag, $"invalid rate for device: {spec}. {IopsFormat}");
        }

        return new ThrottleDevice { Path = path, Rate = (long)rate };
    }

    private static (string Path, string Value) Split(string spec, string flag)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw Invalid(spec, flag, $"bad format: {spec}");
        }

        var path = spec[..colon];
        if (!path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            throw Invalid(spec, flag, $"bad format for device path: {spec}");
        }

        return (path, spec[(colon + 1)..]);
    }

    private static CliUsageException Invalid(string spec, string flag, string reason) =>
        new($"invalid argument \"{spec}\" for \"--{flag}\" flag: {reason}");
}

using System.Globalization;

namespace Wharf.Linux.Host;

/// <summary>The capability bounding set of this process (CapBnd in /proc/self/status): the most any container
/// started from here can hold. Some VMs drop capabilities (e.g. CAP_SYS_RESOURCE) from it.</summary>
public static class CapabilityBoundingSet
{
    /// <summary>All 64 bits set when the file cannot be read: then nothing is filtered.</summary>
    public static ulong ReadSelf()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/status")) ?? ulong.MaxValue;
        }
        catch (IOException)
        {
            return ulong.MaxValue;
        }
    }

    /// <summary>"CapBnd:\t000001ffffffffff" -> the mask; null when the line is missing.</summary>
    public static ulong? Parse(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("CapBnd:", StringComparison.Ordinal)) continue;
            return ulong.TryParse(line["CapBnd:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) ? mask : null;
        }
        return null;
    }
}

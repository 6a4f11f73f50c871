using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Resources;

/// <summary>Settings that exist for another platform or another storage driver, answered as dockerd on Linux with
/// overlay2 answers them: Windows' IO limits are refused, its CPU percent is dropped with a warning (its CPU count
/// is dropped silently, as dockerd ignores it on Linux), and a storage option needs overlay over xfs with project
/// quotas, which Wharf's overlay snapshotter does not manage.</summary>
public static class PlatformResources
{
    public static void Validate(IReadOnlyDictionary<string, string>? storageOpt, long ioMaximumBandwidth, long ioMaximumIops)
    {
        if (ioMaximumBandwidth != 0 || ioMaximumIops != 0)
            throw EngineException.Invalid("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        if (storageOpt is { Count: > 0 })
            throw EngineException.Invalid("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
    }

    /// <summary>Docker's create warnings for the settings it discards.</summary>
    public static IReadOnlyList<string> Warnings(long cpuPercent) =>
        cpuPercent > 0 ? ["linux does not support CPU percent. Percent discarded."] : [];
}

using System.Text.Json;
using Wharf.Api.Volumes;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Volumes;

namespace Wharf.Daemon.Endpoints;

/// <summary>The Volumes part of GET /system/df: every volume with UsageData (bytes under its data directory, -1
/// for a plugin's volume, and how many containers reference it), which <c>docker system df [-v]</c> prints.</summary>
internal static class VolumeDiskUsage
{
    public static async Task<List<JsonElement>> ListAsync(VolumeService volumes, CancellationToken ct)
    {
        var usage = await volumes.UsageAsync(ct).ConfigureAwait(false);
        return usage
            .OrderBy(u => u.Volume.Name, StringComparer.Ordinal)
            .Select(u => JsonSerializer.SerializeToElement(StorageMapper.ToVolume(u.Volume, u), StorageJsonContext.Default.Volume))
            .ToList();
    }
}

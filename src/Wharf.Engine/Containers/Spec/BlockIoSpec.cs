using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Oci;

namespace Wharf.Engine.Containers.Spec;

/// <summary>--blkio-weight-device and --device-{read,write}-{bps,iops}: linux.resources.blockIO's per-device lists.
/// The spec names devices by major:minor, so each path is looked up on the host when the container starts (as Docker
/// stats it then); a path that is not there fails the start with Docker's words.</summary>
public static class BlockIoSpec
{
    /// <summary>Looks up every device path the settings name; null devices = a daemon without device support.</summary>
    public static Dictionary<string, HostDevice> Resolve(HostSettings host, IHostDevices? devices)
    {
        ArgumentNullException.ThrowIfNull(host);
        var found = new Dictionary<string, HostDevice>(StringComparer.Ordinal);
        foreach (var path in Paths(host))
        {
            if (found.ContainsKey(path)) continue;
            if (devices is null) throw EngineException.Invalid($"stat {path}: block devices are not supported by this daemon");
            HostDevice? device;
            try
            {
                device = devices.Find(path);
            }
            catch (InvalidOperationException e)
            {
                throw EngineException.Invalid($"stat {path}: {e.Message}");
            }
            found[path] = device ?? throw EngineException.Invalid($"stat {path}: no such file or directory");
        }
        return found;
    }

    /// <summary>Merges the per-device lists into whatever blockIO block the spec has (the --blkio-weight one).</summary>
    public static RuntimeSpec WithBlockIoDevices(this RuntimeSpec s, HostSettings host, IReadOnlyDictionary<string, HostDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(devices);
        if (!Paths(host).Any()) return s;
        HostDevice Device(string path) => devices.TryGetValue(path, out var d) ? d : throw EngineException.Invalid($"stat {path}: no such file or directory");
        List<SpecThrottleDevice>? Throttles(List<BlkioDeviceSetting> list) =>
            list.Count == 0 ? null : [.. list.Select(t => new SpecThrottleDevice(Device(t.Path).Major, Device(t.Path).Minor, (ulong)Math.Max(0, t.Rate)))];
        var resources = s.Linux.Resources ?? new SpecResources();
        var blockIo = (resources.BlockIo ?? new SpecBlockIo()) with
        {
            WeightDevice = host.BlkioWeightDevice.Count == 0
                ? null
                : [.. host.BlkioWeightDevice.Select(w => new SpecWeightDevice(Device(w.Path).Major, Device(w.Path).Minor, w.Weight))],
            ThrottleReadBpsDevice = Throttles(host.BlkioDeviceReadBps),
            ThrottleWriteBpsDevice = Throttles(host.BlkioDeviceWriteBps),
            ThrottleReadIopsDevice = Throttles(host.BlkioDeviceReadIOps),
            ThrottleWriteIopsDevice = Throttles(host.BlkioDeviceWriteIOps),
        };
        return s with { Linux = s.Linux with { Resources = resources with { BlockIo = blockIo } } };
    }

    private static IEnumerable<string> Paths(HostSettings host) =>
        host.BlkioWeightDevice.Concat(host.BlkioDeviceReadBps).Concat(host.BlkioDeviceWriteBps)
            .Concat(host.BlkioDeviceReadIOps).Concat(host.BlkioDeviceWriteIOps).Select(d => d.Path);
}

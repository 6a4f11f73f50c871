using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Security;

namespace Wharf.Engine.Containers.Lifecycle;

/// <summary>--device and --privileged on this host: checked at create, resolved again at every start (a device
/// node may come and go between them).</summary>
internal static class DeviceResolution
{
    /// <summary>Each --device looked up on the host. Docker's wording for a missing node.</summary>
    public static List<ResolvedDevice> Resolve(HostSettings host, EngineOptions options)
    {
        var resolved = new List<ResolvedDevice>();
        foreach (var mapping in host.Devices)
        {
            var hostPath = mapping.PathOnHost;
            var containerPath = string.IsNullOrEmpty(mapping.PathInContainer) ? hostPath : mapping.PathInContainer;
            var permissions = string.IsNullOrEmpty(mapping.CgroupPermissions) ? "rwm" : mapping.CgroupPermissions;
            if (permissions.Length > 3 || permissions.Any(ch => ch is not ('r' or 'w' or 'm')) || permissions.Distinct().Count() != permissions.Length)
                throw EngineException.Invalid($"invalid device mode: {permissions}");
            if (!containerPath.StartsWith('/'))
                throw EngineException.Invalid($"{containerPath} is not an absolute path");
            if (options.HostDevices is not { } devices)
                throw EngineException.Invalid($"error gathering device information while adding custom device \"{hostPath}\": devices are not supported by this daemon");
            HostDevice? device;
            try
            {
                device = devices.Find(hostPath);
            }
            catch (InvalidOperationException e)
            {
                throw EngineException.Invalid($"error gathering device information while adding custom device \"{hostPath}\": {e.Message}");
            }
            if (device is null)
                throw EngineException.Invalid($"error gathering device information while adding custom device \"{hostPath}\": no such file or directory");
            resolved.Add(new ResolvedDevice(device, containerPath, permissions));
        }
        return resolved;
    }

    /// <summary>All of the host's devices for a --privileged container; nothing otherwise.</summary>
    public static IReadOnlyList<HostDevice>? PrivilegedDevicesFor(HostSettings host, EngineOptions options) =>
        host.Privileged ? options.HostDevices?.All() : null;
}

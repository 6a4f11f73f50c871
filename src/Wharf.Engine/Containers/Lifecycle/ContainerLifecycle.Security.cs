using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;
using Wharf.Engine.Containers.Security;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>Create-time checks of the security and logging options, so bad input is a 400 at create rather
    /// than a failed start: security options and seccomp profile, sysctls, devices, log driver and options.
    /// Fills in the daemon's default log driver when the container names none.</summary>
    private void ValidateSecurityAndLogging(ContainerConfig config, HostSettings host)
    {
        SecurityOptions.Parse(host.SecurityOpt);
        Sysctls.Validate(host.Sysctls, host.NetworkMode);
        ResolveDevices(host);
        foreach (var group in host.GroupAdd)
            if (string.IsNullOrWhiteSpace(group)) throw EngineException.Invalid("invalid group-add: empty group");

        // As dockerd: no driver means the daemon's; the daemon's options fill in every key the container did not
        // set, whenever it uses the daemon's driver.
        if (string.IsNullOrEmpty(host.LogDriver)) host.LogDriver = _options.DefaultLogDriver;
        if (host.LogDriver == _options.DefaultLogDriver)
        {
            foreach (var (key, value) in _options.DefaultLogOptions)
                host.LogOptions.TryAdd(key, value);
        }
        LogDriverSettings.Parse(host.LogDriver, host.LogOptions);
        LogDriverSettings.Attributes(host.LogOptions, config.Labels, config.Env);
    }

    /// <summary>Each --device looked up on the host. Docker's wording for a missing node.</summary>
    private List<ResolvedDevice> ResolveDevices(HostSettings host)
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
            if (_options.HostDevices is not { } devices)
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
    private IReadOnlyList<HostDevice>? PrivilegedDevicesFor(HostSettings host) =>
        host.Privileged ? _options.HostDevices?.All() : null;

    /// <summary>The shim's log flags from the container's driver and options.</summary>
    private ShimOptions WithLogSettings(ShimOptions shim, ContainerRecord record)
    {
        var settings = LogDriverSettings.Parse(record.Host.LogDriver, record.Host.LogOptions);
        var path = _io.LogFileOf(record) ?? shim.LogPath;
        var attrs = settings.Driver == LogDriverSettings.JsonFile
            ? LogDriverSettings.EncodeAttributes(LogDriverSettings.Attributes(record.Host.LogOptions, record.Config.Labels, record.Config.Env))
            : null;
        return shim with
        {
            LogPath = path,
            LogDriver = settings.Driver,
            LogMaxSize = settings.MaxSize,
            LogMaxFiles = settings.MaxFiles,
            LogCompress = settings.Compress,
            LogAttrs = attrs,
        };
    }
}

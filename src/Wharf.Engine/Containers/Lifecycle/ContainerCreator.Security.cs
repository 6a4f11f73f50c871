using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;
using Wharf.Engine.Containers.Security;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerCreator
{
    /// <summary>Create-time checks of the security and logging options, so bad input is a 400 at create rather
    /// than a failed start: security options and seccomp profile, sysctls, devices, log driver and options.
    /// Fills in the daemon's default log driver when the container names none.</summary>
    private void ValidateSecurityAndLogging(ContainerConfig config, HostSettings host)
    {
        SecurityOptions.Parse(host.SecurityOpt);
        Sysctls.Validate(host.Sysctls, host.NetworkMode);
        DeviceResolution.Resolve(host, _options);
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
}

using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
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

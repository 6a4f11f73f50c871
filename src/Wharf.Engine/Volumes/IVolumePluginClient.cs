namespace Wharf.Engine.Volumes;

/// <summary>Docker's volume plugin protocol as the volume service needs it. Implemented by
/// <see cref="Plugins.VolumePluginClient"/> (JSON over HTTP on a unix socket); faked in tests. Every call throws an
/// EngineException with a clear message when the plugin is missing, hangs or answers garbage.</summary>
public interface IVolumePluginClient
{
    void Create(string driver, string name, IReadOnlyDictionary<string, string> options);
    void Remove(string driver, string name);
    /// <summary>Returns the host path the plugin mounted the volume at for this mount id.</summary>
    string Mount(string driver, string name, string mountId);
    void Unmount(string driver, string name, string mountId);

    /// <summary>Every plugin name found in the plugin directories (not yet activated: some may not be volume
    /// drivers at all).</summary>
    IReadOnlyList<string> DiscoverDrivers() => [];

    /// <summary>/VolumeDriver.List: the volumes the plugin knows.</summary>
    IReadOnlyList<PluginVolume> List(string driver) => [];

    /// <summary>/VolumeDriver.Get: the named volume, or null when the plugin does not have it.</summary>
    PluginVolume? Get(string driver, string name) => null;
}

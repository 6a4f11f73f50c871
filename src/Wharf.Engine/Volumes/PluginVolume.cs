namespace Wharf.Engine.Volumes;

/// <summary>A volume as a plugin reports it in /VolumeDriver.List or /VolumeDriver.Get.</summary>
/// <param name="Name">The volume's name.</param>
/// <param name="Mountpoint">Where the plugin has it mounted, "" when it is not mounted.</param>
public sealed record PluginVolume(string Name, string Mountpoint);

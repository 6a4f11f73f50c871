namespace Wharf.Engine.Containers;

/// <summary>One block device's blkio setting: its host path (looked up at start for major:minor, as Docker does) and
/// a weight (--blkio-weight-device) or a rate (--device-read-bps and the other throttles).</summary>
public sealed class BlkioDeviceSetting
{
    public string Path { get; set; } = "";
    public ushort Weight { get; set; }
    public long Rate { get; set; }
}

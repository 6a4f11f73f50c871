namespace Wharf.Api.Containers;

/// <summary>Blkio weight/throttle entry; `Rate` for bps/iops lists, `Weight` for the weight list.</summary>
public sealed class ThrottleDevice
{
    public string? Path { get; set; }
    public long Rate { get; set; }
    public int Weight { get; set; }
}

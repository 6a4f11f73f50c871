namespace Wharf.Api.Volumes;

/// <summary>Size (-1 when unknown) and reference count of a volume, in system df -v.</summary>
public sealed class VolumeUsageData
{
    public long Size { get; set; } = -1;
    public long RefCount { get; set; } = -1;
}

namespace Wharf.Api.Containers;

public sealed class MountTmpfsOptions
{
    public long SizeBytes { get; set; }
    public int Mode { get; set; }
}

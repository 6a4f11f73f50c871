namespace Wharf.Engine.Containers;

/// <summary>One --ulimit: Docker's short name ("nofile", "nproc", ...) and its soft and hard values.</summary>
public sealed class UlimitSetting
{
    public string Name { get; set; } = "";
    public long Soft { get; set; }
    public long Hard { get; set; }
}

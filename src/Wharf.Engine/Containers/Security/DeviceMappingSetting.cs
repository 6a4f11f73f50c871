namespace Wharf.Engine.Containers.Security;

/// <summary>One --device request (Docker's DeviceMapping): host node, where it appears, cgroup access "rwm".</summary>
public sealed class DeviceMappingSetting
{
    public string PathOnHost { get; set; } = "";
    public string PathInContainer { get; set; } = "";
    public string CgroupPermissions { get; set; } = "rwm";
}

namespace Wharf.Engine.Containers;

/// <summary>Where one container's files live. Persistent things under the data root, runtime things (shim
/// socket, bundle, rootfs mount point) under the exec root, which is a tmpfs that a reboot clears.</summary>
public sealed class ContainerPaths(string dataRoot, string execRoot, string id)
{
    public string DataDir { get; } = System.IO.Path.Combine(dataRoot, "containers", id);
    public string RecordFile => System.IO.Path.Combine(DataDir, "config.v2.json");
    public string HostnameFile => System.IO.Path.Combine(DataDir, "hostname");
    public string HostsFile => System.IO.Path.Combine(DataDir, "hosts");
    public string ResolvConfFile => System.IO.Path.Combine(DataDir, "resolv.conf");
    public string LogFile => System.IO.Path.Combine(DataDir, id + "-json.log");

    public string StateDir { get; } = System.IO.Path.Combine(execRoot, "containers", id);
    public string Bundle => StateDir;
    public string RootfsMount => System.IO.Path.Combine(StateDir, "rootfs");
    public string SpecFile => System.IO.Path.Combine(StateDir, "config.json");
}

namespace Wharf.Core.Shim;

/// <summary>File names inside a shim's state directory, shared by the shim and the daemon.</summary>
public static class ShimPaths
{
    public static string Socket(string stateDir) => Path.Combine(stateDir, "shim.sock");
    public static string ExitFile(string stateDir) => Path.Combine(stateDir, "exit.json");
    public static string PidFile(string stateDir) => Path.Combine(stateDir, "shim.pid");
    public static string ContainerPidFile(string stateDir) => Path.Combine(stateDir, "init.pid");
}

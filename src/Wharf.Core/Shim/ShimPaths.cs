using System.Security.Cryptography;
using System.Text;

namespace Wharf.Core.Shim;

/// <summary>File names inside a shim's state directory, shared by the shim and the daemon.</summary>
public static class ShimPaths
{
    /// <summary>sun_path holds 108 bytes with its NUL; keep a margin.</summary>
    private const int MaxSocketPath = 100;

    /// <summary>Where short socket paths live when the state directory is too deep for one (a long exec root).</summary>
    public const string ShortSocketDir = "/run/wharf-shim";

    /// <summary>The shim's control socket: in its state directory when the path fits in sun_path, else a fixed
    /// short directory keyed by a hash of the state directory (both sides compute the same name).</summary>
    public static string Socket(string stateDir)
    {
        var direct = Path.Combine(stateDir, "shim.sock");
        if (Encoding.UTF8.GetByteCount(direct) <= MaxSocketPath) return direct;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDir))))[..32];
        return Path.Combine(ShortSocketDir, key + ".sock");
    }

    public static string ExitFile(string stateDir) => Path.Combine(stateDir, "exit.json");
    public static string PidFile(string stateDir) => Path.Combine(stateDir, "shim.pid");
    public static string ContainerPidFile(string stateDir) => Path.Combine(stateDir, "init.pid");
}

using System.Globalization;

namespace Wharf.Daemon.Configuration;

/// <summary>The daemon's pid file: refuses to start a second daemon on the same state, and tolerates a stale file
/// left by a daemon that was killed.</summary>
internal sealed class PidFile(string path)
{
    public bool TryAcquire(out int otherPid)
    {
        otherPid = 0;
        if (File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId
            && Directory.Exists($"/proc/{pid}")
            && IsDaemon(pid))
        {
            otherPid = pid;
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return true;
    }

    public void Release()
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            File.Delete(path);
    }

    private static bool IsDaemon(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("wharfd", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}

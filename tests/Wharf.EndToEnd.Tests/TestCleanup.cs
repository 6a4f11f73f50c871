using System.Diagnostics;

namespace Wharf.EndToEnd.Tests;

/// <summary>Last-resort cleanup after a test daemon: kill its shims and containers, unmount, delete.</summary>
public static class TestCleanup
{
    public static void RemoveEverythingUnder(string root, string execRoot)
    {
        var containers = Path.Combine(execRoot, "containers");
        if (Directory.Exists(containers))
        {
            foreach (var dir in Directory.EnumerateDirectories(containers))
            {
                var id = Path.GetFileName(dir);
                Run("runc", "--root", Path.Combine(execRoot, "runc"), "delete", "--force", id);
                var pidFile = Path.Combine(dir, "shim.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsShim(pid)) Run("kill", "-9", pid.ToString());
            }
        }
        // A shim whose pid file is gone or was never written (spawned while the daemon was stopping) is still
        // found by its command line, which names this daemon's exec root.
        foreach (var (pid, id) in ShimsNaming(execRoot))
        {
            Run("runc", "--root", Path.Combine(execRoot, "runc"), "delete", "--force", id);
            Run("kill", "-9", pid.ToString());
        }
        foreach (var mount in MountsUnder(root).OrderByDescending(m => m.Length)) Run("umount", "-l", mount);
        try
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A mount still busy: the lazy unmount finishes shortly; the temp dir name is unique anyway.
        }
    }

    /// <summary>A pid file can outlive its process and the pid be reused: only ever kill a wharf-shim.</summary>
    private static bool IsShim(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("wharf-shim", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    private static List<(int Pid, string Id)> ShimsNaming(string execRoot)
    {
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (args.Length == 0 || !args[0].EndsWith("wharf-shim", StringComparison.Ordinal)) continue;
            if (!args.Any(a => a.StartsWith(execRoot + "/", StringComparison.Ordinal))) continue;
            var idAt = Array.IndexOf(args, "--id");
            found.Add((pid, idAt >= 0 && idAt + 1 < args.Length ? args[idAt + 1] : ""));
        }
        return found;
    }

    private static IEnumerable<string> MountsUnder(string root) =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4])
            .Where(p => p.StartsWith(root + "/", StringComparison.Ordinal));

    private static void Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true });
            p?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}

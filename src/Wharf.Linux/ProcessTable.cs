using System.Globalization;
using Wharf.Core.Host;

namespace Wharf.Linux;

/// <summary>The host's processes from /proc: pid and argv (cmdline is NUL-separated). A process that ends while it
/// is read is skipped.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<RunningProcess> List()
    {
        var processes = new List<RunningProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Length == 0) continue; // a kernel thread or a zombie
                processes.Add(new RunningProcess(pid, cmdline.TrimEnd('\0').Split('\0')));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile
            }
        }
        return processes;
    }
}

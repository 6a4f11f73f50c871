using System.Security.Cryptography;
using System.Text;

namespace Wharf.EndToEnd.Tests.Crash;

/// <summary>Counts, from the kernel and /proc rather than from the daemon's word, what one test daemon left that
/// belongs to no running container: shim processes, pinned netns and overlay rootfs mounts under its exec root,
/// veths on its bridges beyond its running endpoints, endpoints of containers that do not run, cgroups under its
/// cgroup parent; and running containers whose process or shim is gone (a state that is not reality).</summary>
public sealed class OrphanCensus(DaemonFixture daemon, string? cgroupParent)
{
    private static readonly string[] CgroupControllers = ["memory", "pids", "cpu", "blkio", "devices", "freezer", "cpuset"];

    public List<string> Details { get; } = [];

    public async Task<OrphanCounts> TakeAsync()
    {
        Details.Clear();
        var containers = await ContainersAsync();
        var running = containers.Where(c => c.Running).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var shims = ShimProcesses();
        var strayShims = shims.Where(s => !running.Contains(s.Id)).ToList();
        Details.AddRange(strayShims.Select(s => $"shim pid {s.Pid} for {s.Id[..12]} (container {(containers.Any(c => c.Id == s.Id) ? "not running" : "missing")})"));

        var mounts = MountPoints();
        var netnsDir = Path.Combine(daemon.ExecRoot, "netns") + "/";
        var netns = mounts.Where(m => m.StartsWith(netnsDir, StringComparison.Ordinal) && !running.Contains(m[netnsDir.Length..])).ToList();
        Details.AddRange(netns.Select(m => "netns mount " + m));
        var containersDir = Path.Combine(daemon.ExecRoot, "containers") + "/";
        var rootfs = mounts.Where(m => m.StartsWith(containersDir, StringComparison.Ordinal) && m.EndsWith("/rootfs", StringComparison.Ordinal)
            && !running.Contains(m[containersDir.Length..^"/rootfs".Length])).ToList();
        Details.AddRange(rootfs.Select(m => "rootfs mount " + m));

        var (endpoints, veths) = await NetworkLeftoversAsync(running);
        var cgroups = Cgroups(running);

        var wrong = 0;
        foreach (var c in containers.Where(c => c.Running))
        {
            var alive = c.Pid > 0 && Directory.Exists($"/proc/{c.Pid}");
            var shim = shims.Any(s => s.Id == c.Id);
            if (alive && shim) continue;
            wrong++;
            Details.Add($"container {c.Id[..12]} says running (pid {c.Pid}) but its process {(alive ? "lives" : "is gone")} and its shim {(shim ? "lives" : "is gone")}");
        }
        return new OrphanCounts(strayShims.Count, netns.Count, veths, endpoints, cgroups, rootfs.Count, wrong);
    }

    private sealed record Container(string Id, bool Running, int Pid, string Status);

    private async Task<List<Container>> ContainersAsync()
    {
        var ids = (await daemon.DockerAsync("ps", "-aq", "--no-trunc")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0) return [];
        var inspect = await daemon.DockerAsync(["inspect", "-f", "{{.Id}} {{.State.Running}} {{.State.Pid}} {{.State.Status}}", .. ids]);
        var list = new List<Container>();
        foreach (var line in inspect.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            if (f.Length == 4) list.Add(new Container(f[0], f[1] == "true", int.Parse(f[2]), f[3]));
        }
        return list;
    }

    /// <summary>Live wharf-shim processes of this daemon, by the container id in their --state-dir.</summary>
    public List<(int Pid, string Id)> ShimProcesses()
    {
        var containersDir = Path.Combine(daemon.ExecRoot, "containers") + "/";
        var shims = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Combine(dir, "cmdline")).TrimEnd('\0').Split('\0'); }
            catch (IOException) { continue; }
            if (args.Length == 0 || Path.GetFileName(args[0]) != "wharf-shim") continue;
            var at = Array.IndexOf(args, "--state-dir");
            if (at < 0 || at + 1 >= args.Length || !args[at + 1].StartsWith(containersDir, StringComparison.Ordinal)) continue;
            shims.Add((pid, args[at + 1][containersDir.Length..]));
        }
        return shims;
    }

    public static List<string> MountPoints() =>
        [.. File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))];

    private async Task<(int Endpoints, int Veths)> NetworkLeftoversAsync(HashSet<string> running)
    {
        var endpoints = 0;
        var veths = 0;
        var ids = (await daemon.DockerAsync("network", "ls", "-q", "--no-trunc")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in ids)
        {
            var r = await daemon.DockerAsync("network", "inspect", "-f",
                "{{.Name}}|{{.Driver}}|{{index .Options \"com.docker.network.bridge.name\"}}|{{range $k, $v := .Containers}}{{$k}} {{end}}", id);
            var f = r.Stdout.Trim().Split('|');
            if (f.Length < 4) continue;
            var members = f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var stale = members.Where(m => !running.Contains(m)).ToList();
            endpoints += stale.Count;
            Details.AddRange(stale.Select(m => $"endpoint of {m[..Math.Min(12, m.Length)]} on {f[0]}"));
            if (f[1] != "bridge") continue;
            var bridge = f[2].Length > 0 ? f[2] : f[0] == "bridge" ? DefaultBridge() : "br-" + id[..12];
            var links = await CommandRunner.RunAsync("ip", ["-o", "link", "show", "master", bridge], new Dictionary<string, string>());
            var count = links.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            var extra = Math.Max(0, count - members.Count(running.Contains));
            veths += extra;
            if (extra > 0) Details.Add($"{extra} veth(s) on {bridge} beyond its running endpoints: {links.Stdout.Trim()}");
        }
        return (endpoints, veths);
    }

    /// <summary>The default bridge a daemon with this exec root names for itself (see NetworkSetup).</summary>
    private string DefaultBridge() => "wh" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(daemon.ExecRoot)))[..6];

    private int Cgroups(HashSet<string> running)
    {
        if (cgroupParent is null) return 0;
        var stale = new HashSet<string>(StringComparer.Ordinal);
        foreach (var controller in CgroupControllers)
        {
            var dir = Path.Combine("/sys/fs/cgroup", controller, cgroupParent.Trim('/'));
            if (!Directory.Exists(dir)) continue;
            foreach (var child in Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>())
                if (child.Length == 64 && !running.Contains(child)) stale.Add(child);
        }
        Details.AddRange(stale.Select(id => "cgroup " + id[..12]));
        return stale.Count;
    }

    /// <summary>Removes the cgroup parent a test daemon was given (empty by then), in every controller.</summary>
    public static void RemoveCgroupParent(string cgroupParent)
    {
        foreach (var controller in CgroupControllers)
        {
            var dir = Path.Combine("/sys/fs/cgroup", controller, cgroupParent.Trim('/'));
            try
            {
                foreach (var child in Directory.Exists(dir) ? Directory.GetDirectories(dir) : []) Directory.Delete(child);
                if (Directory.Exists(dir)) Directory.Delete(dir);
            }
            catch (IOException)
            {
                // still in use: left for the host's own cleanup; the census reported it
            }
        }
    }
}

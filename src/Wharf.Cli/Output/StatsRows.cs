using System.Globalization;
using System.Text.Json;
using Wharf.Api.Resources;

namespace Wharf.Cli.Output;

/// <summary>docker stats' columns computed from one stats document the way the docker CLI computes them (CPU %
/// from the delta to precpu_stats, memory without the inactive page cache, summed network and block I/O).</summary>
internal static class StatsRows
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Container"] = "CONTAINER",
        ["ID"] = "CONTAINER ID",
        ["Name"] = "NAME",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    public static JsonElement ToRow(string container, ContainerStatsResponse s, bool truncate)
    {
        ArgumentNullException.ThrowIfNull(s);
        var memory = MemoryWithoutCache(s.MemoryStats);
        var limit = (double)s.MemoryStats.Limit;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Container"] = container,
            ["ID"] = truncate && s.Id.Length > 12 ? s.Id[..12] : s.Id,
            ["Name"] = s.Name.TrimStart('/'),
            ["CPUPerc"] = Percent(CpuPercent(s)),
            ["MemUsage"] = HumanUnits.BinarySize(memory) + " / " + HumanUnits.BinarySize(limit),
            ["MemPerc"] = Percent(limit > 0 ? memory / limit * 100.0 : 0),
            ["NetIO"] = NetIo(s),
            ["BlockIO"] = BlockIo(s),
            ["PIDs"] = s.PidsStats.Current.ToString(CultureInfo.InvariantCulture),
        };
        return JsonOutput.ObjectOfStrings(fields);
    }

    /// <summary>(cpu delta / system delta) x online CPUs x 100; 0 without a previous sample.</summary>
    public static double CpuPercent(ContainerStatsResponse s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var cpuDelta = (double)s.CpuStats.CpuUsage.TotalUsage - s.PrecpuStats.CpuUsage.TotalUsage;
        var systemDelta = (double)s.CpuStats.SystemCpuUsage - s.PrecpuStats.SystemCpuUsage;
        var online = (double)s.CpuStats.OnlineCpus;
        if (online == 0) online = s.CpuStats.CpuUsage.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100.0 : 0;
    }

    /// <summary>Usage minus inactive file pages (v1: total_inactive_file; v2: inactive_file), as docker shows it.</summary>
    public static double MemoryWithoutCache(MemoryStats m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ulong cache = 0;
        if (m.Stats is { } stats)
        {
            if (stats.TryGetValue("total_inactive_file", out var v1) && v1 < m.Usage) cache = v1;
            else if (stats.TryGetValue("inactive_file", out var v2) && v2 < m.Usage) cache = v2;
        }
        return m.Usage - cache;
    }

    private static string NetIo(ContainerStatsResponse s)
    {
        double rx = 0, tx = 0;
        foreach (var n in (s.Networks ?? []).Values)
        {
            rx += n.RxBytes;
            tx += n.TxBytes;
        }
        return HumanUnits.Size(rx, 3) + " / " + HumanUnits.Size(tx, 3);
    }

    private static string BlockIo(ContainerStatsResponse s)
    {
        double read = 0, write = 0;
        foreach (var e in s.BlkioStats.IoServiceBytesRecursive ?? [])
        {
            if (e.Op.Length == 0) continue;
            switch (e.Op[0])
            {
                case 'r' or 'R': read += e.Value; break;
                case 'w' or 'W': write += e.Value; break;
            }
        }
        return HumanUnits.Size(read, 3) + " / " + HumanUnits.Size(write, 3);
    }

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";
}

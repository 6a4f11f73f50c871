using System.Globalization;
using System.Text.Json;
using Wharf.Cli.Output;

namespace Wharf.Cli.Commands.Volumes;

/// <summary>The "Local Volumes" line and the -v table of docker system df, from the Volumes[] of GET /system/df
/// (each with UsageData: Size in bytes, -1 when unknown, and RefCount, the containers using it).</summary>
internal static class VolumeUsageRows
{
    private sealed record Row(string Name, long Size, long Links);

    private static List<Row> Rows(IEnumerable<JsonElement> volumes) => volumes
        .Where(v => v.ValueKind == JsonValueKind.Object)
        .Select(v =>
        {
            var name = v.TryGetProperty("Name", out var n) ? n.GetString() ?? "" : "";
            long size = -1, links = -1;
            if (v.TryGetProperty("UsageData", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                if (usage.TryGetProperty("Size", out var s) && s.TryGetInt64(out var bytes)) size = bytes;
                if (usage.TryGetProperty("RefCount", out var r) && r.TryGetInt64(out var count)) links = count;
            }
            return new Row(name, size, links);
        })
        .ToList();

    /// <summary>"Local Volumes\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE" as Docker computes it: reclaimable is the size
    /// of the volumes no container uses.</summary>
    public static string Summary(IEnumerable<JsonElement> volumes)
    {
        var rows = Rows(volumes);
        var size = rows.Sum(r => Math.Max(0, r.Size));
        var reclaimable = rows.Where(r => r.Links == 0).Sum(r => Math.Max(0, r.Size));
        var percent = size > 0 ? reclaimable * 100 / size : 0;
        return $"Local Volumes\t{rows.Count.ToString(CultureInfo.InvariantCulture)}\t{rows.Count(r => r.Links > 0).ToString(CultureInfo.InvariantCulture)}\t" +
            $"{HumanUnits.Size(size)}\t{HumanUnits.Size(reclaimable)} ({percent.ToString(CultureInfo.InvariantCulture)}%)";
    }

    /// <summary>The -v section: one line per volume with its links and size ("N/A" when unknown).</summary>
    public static string Table(IEnumerable<JsonElement> volumes)
    {
        var lines = new List<string> { "VOLUME NAME\tLINKS\tSIZE" };
        foreach (var row in Rows(volumes))
        {
            lines.Add($"{row.Name}\t{Math.Max(0, row.Links).ToString(CultureInfo.InvariantCulture)}\t{(row.Size < 0 ? "N/A" : HumanUnits.Size(row.Size))}");
        }
        return TabTable.Format(lines);
    }
}

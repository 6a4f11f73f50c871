using System.Globalization;
using System.Text.Json;
using Wharf.Api.Containers;

namespace Wharf.Cli.Output;

/// <summary>Projects container list items to docker ps's formatter fields (all strings, as docker's `{{json .}}` shows).</summary>
internal static class ContainerRows
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Names"] = "NAMES",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["Networks"] = "NETWORKS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Platform"] = "PLATFORM",
    };

    public static JsonElement ToRow(ContainerSummary c, bool truncate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        var command = truncate ? Ellipsis(c.Command, 20) : c.Command;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = truncate ? ShortId(c.Id) : c.Id,
            ["Image"] = truncate ? TrimImageId(c.Image) : c.Image,
            ["Command"] = "\"" + command + "\"",
            ["CreatedAt"] = FormatCreatedAt(c.Created),
            ["RunningFor"] = HumanUnits.Ago(c.Created, now),
            ["Ports"] = FormatPorts(c.Ports),
            ["State"] = c.State,
            ["Status"] = c.Status,
            ["Size"] = FormatSize(c),
            ["Names"] = FormatNames(c.Names, truncate),
            ["Labels"] = FormatLabels(c.Labels),
            ["Mounts"] = string.Join(',', c.Mounts.Select(m => truncate && m.Type == "volume" && m.Name is { Length: > 15 } n ? Ellipsis(n, 15) : m.Name ?? m.Source ?? "")),
            ["Networks"] = string.Join(',', (c.NetworkSettings.Networks ?? []).Keys.Order(StringComparer.Ordinal)),
            ["LocalVolumes"] = c.Mounts.Count(m => m.Driver == "local").ToString(CultureInfo.InvariantCulture),
        };
        return JsonOutput.ObjectOfStrings(fields);
    }

    public static string ShortId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var bare = id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;
        return bare.Length > 12 ? bare[..12] : bare;
    }

    /// <summary>docker shows "sha256:abc…" image refs as the short hex id.</summary>
    private static string TrimImageId(string image) => image.StartsWith("sha256:", StringComparison.Ordinal) ? ShortId(image) : image;

    /// <summary>docker's formatter.Ellipsis: cut to width-1 runes and add "…".</summary>
    public static string Ellipsis(string text, int maxWidth)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runes = text.EnumerateRunes().ToList();
        if (runes.Count <= maxWidth)
        {
            return text;
        }

        return string.Concat(runes.Take(maxWidth - 1).Select(r => r.ToString())) + "…";
    }

    public static string FormatNames(IReadOnlyList<string> names, bool truncate)
    {
        ArgumentNullException.ThrowIfNull(names);
        var stripped = names.Select(n => n.TrimStart('/')).ToList();
        if (truncate)
        {
            // Link aliases look like "other/alias"; docker shows only the container's own name.
            var own = stripped.FirstOrDefault(n => !n.Contains('/', StringComparison.Ordinal));
            return own ?? stripped.FirstOrDefault() ?? "";
        }

        return string.Join(',', stripped);
    }

    public static string FormatPorts(IReadOnlyList<ContainerPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var parts = ports
            .OrderBy(p => p.PrivatePort)
            .ThenBy(p => p.Type, StringComparer.Ordinal)
            .ThenBy(p => p.IP ?? "", StringComparer.Ordinal)
            .Select(p =>
            {
                if (p.PublicPort is not { } publicPort || publicPort == 0)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{p.PrivatePort}/{p.Type}");
                }

                var ip = p.IP ?? "";
                if (ip.Contains(':', StringComparison.Ordinal))
                {
                    ip = "[" + ip + "]";
                }

                return string.Create(CultureInfo.InvariantCulture, $"{ip}:{publicPort}->{p.PrivatePort}/{p.Type}");
            })
            .Distinct();
        return string.Join(", ", parts);
    }

    private static string FormatLabels(Dictionary<string, string>? labels) =>
        labels is null ? "" : string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static string FormatSize(ContainerSummary c)
    {
        var rw = HumanUnits.Size(c.SizeRw ?? 0, 3);
        return c.SizeRootFs is { } root and > 0 ? $"{rw} (virtual {HumanUnits.Size(root, 3)})" : rw;
    }

    private static string FormatCreatedAt(long unixSeconds) => GoTimeString(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToLocalTime());

    /// <summary>Go's time.Time.String() without monotonic part: "2006-01-02 15:04:05 -0700 MST".</summary>
    internal static string GoTimeString(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var zone = offset == TimeSpan.Zero ? "UTC" : sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
        return time.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture)
            + abs.Minutes.ToString("00", CultureInfo.InvariantCulture) + " " + zone;
    }
}

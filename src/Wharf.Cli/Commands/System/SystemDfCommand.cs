using System.Globalization;
using Wharf.Api.ImageStore;
using Wharf.Cli.Commands.Volumes;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

/// <summary>docker system df (and -v): GET /system/df summarised as Docker prints it.</summary>
internal sealed class SystemDfCommand : ICommand
{
    public string Name => "system df";

    public string Usage => "system df [OPTIONS]";

    public string Description => "Show docker disk usage";

    /// <summary>docker's diskUsage summary table.</summary>
    public const string DefaultTableFormat = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";

    private static readonly string[] SummaryFields = ["Type", "TotalCount", "Active", "Size", "Reclaimable"];

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Type"] = "TYPE",
        ["TotalCount"] = "TOTAL",
        ["Active"] = "ACTIVE",
        ["Size"] = "SIZE",
        ["Reclaimable"] = "RECLAIMABLE",
    };

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Flag("verbose", 'v', "Show detailed information on space usage"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = args.Value("format") is { } f && f != "table" ? f : null;
        if (format is not null && args.Flag("verbose"))
        {
            throw new CliUsageException("--format applies to the summary only; use it without --verbose (or -v alone for the detailed tables)");
        }

        var df = await context.Client.System.DiskUsageAsync(cancellationToken).ConfigureAwait(false);
        var activeImages = df.Images.Count(i => i.Containers > 0);
        var imagesSize = df.LayersSize;
        var imagesReclaimable = imagesSize - df.Images.Where(i => i.Containers > 0).Sum(i => i.Size - Math.Max(0, i.SharedSize))
            - SharedOfActive(df);
        var containersSize = df.Containers.Sum(c => c.SizeRw ?? 0);
        var running = df.Containers.Count(c => c.State == "running");
        var containersReclaimable = df.Containers.Where(c => c.State != "running").Sum(c => c.SizeRw ?? 0);
        var lines = new List<string>
        {
            $"Images\t{df.Images.Count}\t{activeImages}\t{HumanUnits.Size(imagesSize)}\t{Reclaimable(imagesReclaimable, imagesSize)}",
            $"Containers\t{df.Containers.Count}\t{running}\t{HumanUnits.Size(containersSize)}\t{Reclaimable(containersReclaimable, containersSize)}",
            VolumeUsageRows.Summary(df.Volumes),
            $"Build Cache\t{df.BuildCache.Count}\t0\t0B\t0B",
        };
        var rows = lines.Select(line => JsonOutput.ObjectOfStrings(SummaryFields.Zip(line.Split('\t'), KeyValuePair.Create)));
        await context.Out.WriteAsync(FormattedWriter.Render(format ?? DefaultTableFormat, Headers, rows)).ConfigureAwait(false);
        if (!args.Flag("verbose")) return 0;

        var images = new List<string> { "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS" };
        foreach (var image in df.Images)
        {
            var id = image.Id.StartsWith("sha256:", StringComparison.Ordinal) ? image.Id[7..19] : image.Id;
            var tags = image.RepoTags is { Count: > 0 } t ? t : ["<none>:<none>"];
            foreach (var tag in tags)
            {
                var colon = tag.LastIndexOf(':');
                var shared = Math.Max(0, image.SharedSize);
                images.Add($"{tag[..colon]}\t{tag[(colon + 1)..]}\t{id}\t{HumanUnits.Ago(image.Created, context.Now)}\t{HumanUnits.Size(image.Size)}\t{HumanUnits.Size(shared)}\t{HumanUnits.Size(image.Size - shared)}\t{image.Containers.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        await context.Out.WriteAsync("\nImages space usage:\n\n" + TabTable.Format(images)).ConfigureAwait(false);
        var containers = new List<string> { "CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES" };
        foreach (var c in df.Containers)
        {
            var command = c.Command.Length > 20 ? c.Command[..19] + "…" : c.Command;
            containers.Add($"{c.Id[..12]}\t{c.Image}\t\"{command}\"\t0\t{HumanUnits.Size(c.SizeRw ?? 0)}\t{HumanUnits.Ago(c.Created, context.Now)}\t{c.Status}\t{string.Join(',', c.Names.Select(n => n.TrimStart('/')))}");
        }
        await context.Out.WriteAsync("\nContainers space usage:\n\n" + TabTable.Format(containers)).ConfigureAwait(false);
        await context.Out.WriteAsync("\nLocal Volumes space usage:\n\n" + VolumeUsageRows.Table(df.Volumes)).ConfigureAwait(false);
        await context.Out.WriteAsync("\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Shared layers of images in use cannot be reclaimed either (counted once).</summary>
    private static long SharedOfActive(SystemDfResponse df) =>
        df.Images.Any(i => i.Containers > 0) ? df.Images.Where(i => i.Containers > 0).Max(i => Math.Max(0, i.SharedSize)) : 0;

    private static string Reclaimable(long reclaimable, long total)
    {
        reclaimable = Math.Max(0, reclaimable);
        var percent = total > 0 ? reclaimable * 100 / total : 0;
        return $"{HumanUnits.Size(reclaimable)} ({percent.ToString(CultureInfo.InvariantCulture)}%)";
    }
}

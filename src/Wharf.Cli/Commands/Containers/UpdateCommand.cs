using System.Globalization;
using Wharf.Api.Client;
using Wharf.Api.Resources;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker update: new resource limits (and restart policy) for one or more containers; unset flags
/// are sent as zero, which the daemon reads as "unchanged".</summary>
internal sealed class UpdateCommand : ICommand
{
    public string Name => "container update";

    public IReadOnlyList<string> Aliases { get; } = ["update"];

    public string Usage => "update [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Update configuration of one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "uint16", "0"),
        OptionSpec.Value("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period", "int"),
        OptionSpec.Value("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota", "int"),
        OptionSpec.Value("cpu-rt-period", null, "Limit the CPU real-time period in microseconds", "int"),
        OptionSpec.Value("cpu-rt-runtime", null, "Limit the CPU real-time runtime in microseconds", "int"),
        OptionSpec.Value("cpu-shares", 'c', "CPU shares (relative weight)", "int"),
        OptionSpec.Value("cpus", null, "Number of CPUs", "decimal"),
        OptionSpec.Value("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("memory", 'm', "Memory limit", "bytes"),
        OptionSpec.Value("memory-reservation", null, "Memory soft limit", "bytes"),
        OptionSpec.Value("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", "bytes"),
        OptionSpec.Value("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int"),
        OptionSpec.Value("restart", null, "Restart policy to apply when a container exits"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (Options.All(o => !args.Has(o.Name)))
        {
            throw new CliUsageException("you must provide one or more flags when using this command", 1);
        }

        var body = Build(args);
        return await ForEachTarget.RunAsync(context, args, async target =>
        {
            var answer = await context.Client.Containers.UpdateAsync(target, body, cancellationToken).ConfigureAwait(false);
            foreach (var warning in answer.Warnings)
            {
                await context.Err.WriteLineAsync("WARNING: " + warning).ConfigureAwait(false);
            }

            return true;
        }).ConfigureAwait(false);
    }

    public static ContainerUpdateRequest Build(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new ContainerUpdateRequest
        {
            BlkioWeight = args.Int("blkio-weight") ?? 0,
            CpuPeriod = Long(args.Value("cpu-period"), "cpu-period"),
            CpuQuota = Long(args.Value("cpu-quota"), "cpu-quota"),
            CpuRealtimePeriod = Long(args.Value("cpu-rt-period"), "cpu-rt-period"),
            CpuRealtimeRuntime = Long(args.Value("cpu-rt-runtime"), "cpu-rt-runtime"),
            CpuShares = Long(args.Value("cpu-shares"), "cpu-shares"),
            NanoCpus = args.Value("cpus") is { } cpus ? ContainerOptions.ParseCpus(cpus) : 0,
            CpusetCpus = args.Value("cpuset-cpus") ?? "",
            CpusetMems = args.Value("cpuset-mems") ?? "",
            Memory = args.Value("memory") is { } memory ? ByteSize.Parse(memory, "--memory") : 0,
            MemoryReservation = args.Value("memory-reservation") is { } reservation ? ByteSize.Parse(reservation, "--memory-reservation") : 0,
            MemorySwap = args.Value("memory-swap") is { } swap ? (swap == "-1" ? -1 : ByteSize.Parse(swap, "--memory-swap")) : 0,
            PidsLimit = args.Value("pids-limit") is { } pids ? Long(pids, "pids-limit") : null,
            RestartPolicy = args.Value("restart") is { } restart ? ContainerOptions.ParseRestart(restart) : null,
        };
    }

    private static long Long(string? text, string flag)
    {
        if (text is null)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }
}

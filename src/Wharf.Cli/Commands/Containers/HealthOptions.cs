using Wharf.Api.Containers;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>The --health-* and --no-healthcheck flags of run/create, turned into Config.Healthcheck as the docker
/// CLI does: a duration flag alone (no --health-cmd) keeps the image's test and overrides only that value.</summary>
internal static class HealthOptions
{
    public static HealthConfig? Parse(ParsedArgs args)
    {
        var command = args.Value("health-cmd");
        var interval = Duration(args, "health-interval");
        var timeout = Duration(args, "health-timeout");
        var startPeriod = Duration(args, "health-start-period");
        var startInterval = Duration(args, "health-start-interval");
        var retries = args.Int("health-retries") ?? 0;
        var anySetting = !string.IsNullOrEmpty(command) || interval != 0 || timeout != 0 || startPeriod != 0 || startInterval != 0 || retries != 0;

        if (args.Flag("no-healthcheck"))
        {
            return anySetting
                ? throw new CliUsageException("--no-healthcheck conflicts with --health-* options", 125)
                : new HealthConfig { Test = ["NONE"] };
        }

        if (!anySetting)
        {
            return null;
        }

        if (retries < 0)
        {
            throw new CliUsageException("--health-retries cannot be negative", 125);
        }

        return new HealthConfig
        {
            Test = string.IsNullOrEmpty(command) ? null : ["CMD-SHELL", command],
            Interval = interval,
            Timeout = timeout,
            StartPeriod = startPeriod,
            StartInterval = startInterval,
            Retries = retries,
        };
    }

    private static long Duration(ParsedArgs args, string flag)
    {
        var text = args.Value(flag);
        if (text is null)
        {
            return 0;
        }

        if (!GoDuration.TryParse(text, out var duration))
        {
            throw new CliUsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: time: invalid duration \"{text}\"");
        }

        return duration < TimeSpan.Zero
            ? throw new CliUsageException($"--{flag} cannot be negative", 125)
            : duration.Ticks * 100;
    }
}

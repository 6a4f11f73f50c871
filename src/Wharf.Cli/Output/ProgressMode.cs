using Wharf.Cli.Parsing;

namespace Wharf.Cli.Output;

/// <summary>How long work reports itself: bars rewritten in place on a terminal (auto), always (tty), plain lines
/// that a log or pipe can keep (plain), or nothing but the result (quiet).</summary>
internal enum ProgressMode
{
    Auto,
    Plain,
    Tty,
    Quiet,
}

/// <summary>The --progress flag shared by pull, push, load, import, save, build and cp.</summary>
internal static class ProgressOption
{
    public static OptionSpec Option { get; } =
        OptionSpec.Value("progress", null, "Set type of progress output (\"auto\", \"plain\", \"tty\", \"quiet\")", "string", "auto");

    public static ProgressMode Parse(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Value("progress") switch
        {
            null or "auto" => ProgressMode.Auto,
            "plain" => ProgressMode.Plain,
            "tty" => ProgressMode.Tty,
            "quiet" => ProgressMode.Quiet,
            var other => throw new CliUsageException($"invalid argument \"{other}\" for \"--progress\" flag: must be one of auto, plain, tty, quiet", 1),
        };
    }

    /// <summary>Bars in place: asked for (tty), or auto on a terminal.</summary>
    public static bool DrawsBars(ProgressMode mode, bool isTerminal) => mode == ProgressMode.Tty || (mode == ProgressMode.Auto && isTerminal);
}

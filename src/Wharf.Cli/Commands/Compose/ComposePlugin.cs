using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Compose;

/// <summary>The docker CLI plugin protocol: docker runs "docker-compose docker-cli-plugin-metadata" to
/// learn about the plugin, then "docker-compose [global flags] compose ARGS". The wharf binary installed
/// (or linked) as docker-compose answers both; invoked as plain "docker-compose up" it acts as "wharf compose up".</summary>
internal static class ComposePlugin
{
    public const string MetadataVerb = "docker-cli-plugin-metadata";

    private static readonly HashSet<string> GlobalFlagsWithValue = new(StringComparer.Ordinal)
    {
        "-H", "--host", "-c", "--context", "-l", "--log-level", "--config", "--tlscacert", "--tlscert", "--tlskey",
    };

    /// <summary>argv[0] as the process was started (a symlink's own name), from /proc/self/cmdline: the
    /// runtime's GetCommandLineArgs()[0] may name the resolved executable instead.</summary>
    public static string? Argv0()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            return global::System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
        }
        catch (IOException)
        {
            return Environment.GetCommandLineArgs().FirstOrDefault();
        }
    }

    /// <summary>The arguments CliApp should see for a binary started as <paramref name="argv0"/>.</summary>
    public static string[] Arguments(string? argv0, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!string.Equals(Path.GetFileName(argv0 ?? ""), "docker-compose", StringComparison.Ordinal))
        {
            return args;
        }

        var verb = 0;
        while (verb < args.Length && args[verb].StartsWith('-'))
        {
            verb += GlobalFlagsWithValue.Contains(args[verb]) ? 2 : 1;
        }

        if (verb < args.Length && args[verb] is "compose" or MetadataVerb)
        {
            return args;
        }

        // Called directly (docker-compose up -d): everything is compose's.
        return ["compose", .. args];
    }
}

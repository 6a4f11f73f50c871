namespace Wharf.Compose.Cli;

/// <summary>The outside world of a compose invocation, so tests can substitute it.</summary>
public sealed class ComposeConsole
{
    public required TextWriter Out { get; init; }

    public required TextWriter Err { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Colour service prefixes in logs (a terminal, no --no-color, no NO_COLOR).</summary>
    public bool Color { get; init; }

    public Func<string>? ReadStdin { get; init; }

    /// <summary>The binary's version, for "compose version".</summary>
    public string Version { get; init; } = Planning.ComposeLabels.ComposeVersion;
}

using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>A CLI verb. Errors from the daemon may be thrown; CliApp prints them docker-style.</summary>
internal interface ICommand
{
    /// <summary>Invocation path, e.g. "run" or "container prune".</summary>
    string Name { get; }

    /// <summary>Usage line after the program name, e.g. "run [OPTIONS] IMAGE [COMMAND] [ARG...]".</summary>
    string Usage { get; }

    string Description { get; }

    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>run/create/exec: options end at the image, the rest is the container's command line.</summary>
    bool StopAtFirstPositional => false;

    /// <summary>Exit code for failures this command does not handle itself (docker run/create use 125).</summary>
    int FailureExitCode => 1;

    Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken);
}

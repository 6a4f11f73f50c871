using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>A CLI verb. Errors from the daemon may be thrown; CliApp prints them docker-style.</summary>
internal interface ICommand
{
    /// <summary>Canonical invocation path, as docker names it: "container ls", "image pull", "version".</summary>
    string Name { get; }

    /// <summary>Other spellings reaching the same command ("container list", "ps"); listed under "Aliases:" in help.</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>Usage line after the program name, e.g. "run [OPTIONS] IMAGE [COMMAND] [ARG...]". Its leading
    /// command words are replaced by the spelling the user typed when help is printed.</summary>
    string Usage { get; }

    string Description { get; }

    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>run/create/exec: options end at the image, the rest is the container's command line.</summary>
    bool StopAtFirstPositional => false;

    /// <summary>Exit code for failures this command does not handle itself (docker run/create use 125).</summary>
    int FailureExitCode => 1;

    /// <summary>Commands that never talk to a daemon (help, completion scripts, context store edits) are run
    /// even when no endpoint can be resolved.</summary>
    bool NeedsDaemon => true;

    /// <summary>Plumbing verbs (docker's plugin metadata probe) that work but are not listed in help, as cobra's hidden commands.</summary>
    bool Hidden => false;

    Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken);
}

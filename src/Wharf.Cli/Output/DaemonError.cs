using System.Text.RegularExpressions;

namespace Wharf.Cli.Output;

/// <summary>
/// "Error response from daemon: ..." with docker's words kept first (scripts match them), then, for the failures people
/// hit most, what to do about it: which command lists the objects that exist, how to get a missing image, how to free
/// a port or an image in use, when to log in.
/// </summary>
internal static partial class DaemonError
{
    public static string Describe(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return "Error response from daemon: " + message + Hint(message);
    }

    /// <summary>The way out for a daemon message, as " (...)"; empty when the message already says it or is not known.</summary>
    internal static string Hint(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.EndsWith(')'))
        {
            return ""; // a message ending in a parenthesis already carries its own explanation
        }

        if (NoSuchImage().Match(message) is { Success: true } image)
        {
            var name = image.Groups[1].Value.Trim();
            return $" (image '{name}' not found locally; pull it with 'wharf pull {name}' or build it with 'wharf build')";
        }

        if (message.Contains("No such container", StringComparison.OrdinalIgnoreCase))
        {
            return " (see 'wharf ps -a' for the containers that exist)";
        }

        if (message.Contains("No such network", StringComparison.OrdinalIgnoreCase) || NetworkNotFound().IsMatch(message))
        {
            return " (see 'wharf network ls' for the networks that exist)";
        }

        if (message.Contains("no such volume", StringComparison.OrdinalIgnoreCase))
        {
            return " (see 'wharf volume ls' for the volumes that exist)";
        }

        if (NotRunning().Match(message) is { Success: true } stopped)
        {
            return $" (start it with 'wharf start {stopped.Groups[1].Value}')";
        }

        if (message.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase) || message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            return " (another container or process holds that host port: publish on another one with -p HOSTPORT:PORT, or stop the holder; 'wharf ps' shows containers' ports)";
        }

        if (message.Contains("pull access denied", StringComparison.OrdinalIgnoreCase) || message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || message.Contains("authentication required", StringComparison.OrdinalIgnoreCase))
        {
            return " (check the image name; for a private repository log in first with 'wharf login REGISTRY')";
        }

        if (message.Contains("image is being used by", StringComparison.OrdinalIgnoreCase) || message.Contains("image is referenced in multiple repositories", StringComparison.OrdinalIgnoreCase)
            || message.Contains("must be forced", StringComparison.OrdinalIgnoreCase) || message.Contains("must force", StringComparison.OrdinalIgnoreCase))
        {
            return " (remove the containers that use it first, or force with 'wharf rmi -f')";
        }

        return "";
    }

    [GeneratedRegex(@"No such image: (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex NoSuchImage();

    [GeneratedRegex(@"network \S+ not found", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkNotFound();

    [GeneratedRegex(@"[Cc]ontainer (\S+) is not running")]
    private static partial Regex NotRunning();
}

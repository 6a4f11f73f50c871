using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Port ranges in -p, as the docker CLI reads them: "8000-8002:80-82" publishes three ports pairwise; a
/// host range for one container port ("8000-8002:80") is a range the daemon picks a free port from; ranges of
/// different lengths are refused with Docker's words.</summary>
internal static class PublishRanges
{
    /// <summary>One (container port/protocol, binding) per container port of <paramref name="spec"/>.</summary>
    public static IEnumerable<(string ContainerPort, PortBinding Binding)> Expand(string spec)
    {
        var (containerPort, binding) = ContainerOptions.ParsePublish(spec);
        var slash = containerPort.IndexOf('/', StringComparison.Ordinal);
        var protocol = containerPort[slash..];
        var containerRange = containerPort[..slash];
        TryParse(containerRange, out var first, out var last);
        var hostPort = binding.HostPort ?? "";
        int hostFirst = 0, hostLast = 0;
        if (hostPort.Length > 0 && !TryParse(hostPort, out hostFirst, out hostLast))
            throw new CliUsageException($"invalid hostPort: {hostPort}");
        var count = last - first + 1;
        if (hostPort.Length > 0 && hostLast - hostFirst != last - first && count > 1)
            throw new CliUsageException($"invalid ranges specified for container and host Ports: {containerRange} and {hostPort}");

        var result = new List<(string, PortBinding)>(count);
        for (var i = 0; i < count; i++)
        {
            // A single container port keeps the host range whole: the daemon allocates one port out of it.
            var host = hostPort.Length == 0 ? "" : count == 1 ? hostPort : (hostFirst + i).ToString(CultureInfo.InvariantCulture);
            result.Add(((first + i).ToString(CultureInfo.InvariantCulture) + protocol, new PortBinding { HostIp = binding.HostIp, HostPort = host }));
        }
        return result;
    }

    /// <summary>"80" or "80-82" with 0 &lt; first &lt;= last &lt;= 65535 (0 is allowed for a host port: any).</summary>
    public static bool TryParse(string text, out int first, out int last)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash < 0 ? text : text[..dash];
        var lastText = dash < 0 ? text : text[(dash + 1)..];
        last = 0;
        return int.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && first <= last && last <= 65535;
    }
}

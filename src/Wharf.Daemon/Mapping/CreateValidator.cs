using System.Globalization;
using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Signals;
using Dto = Wharf.Api.Containers;

namespace Wharf.Daemon.Mapping;

/// <summary>What containers/create must refuse before anything is stored, with Docker's wording where it has one.
/// A record is read back by every list and inspect: a value that cannot be read back (a port "-1/tcp") would make
/// `docker ps -a` fail for everyone, so it is refused here, once, with 400.</summary>
internal static class CreateValidator
{
    private static readonly string[] Runtimes = ["runc", "io.containerd.runc.v2"];

    public static void Validate(Dto.ContainerCreateRequest body, ContainerCreateParams created)
    {
        foreach (var variable in body.Env ?? [])
        {
            if (variable is null) throw EngineException.Invalid("invalid environment variable: null (each Env entry must be a string \"KEY=value\")");
            if (variable.Length == 0 || variable[0] == '=') throw EngineException.Invalid($"invalid environment variable: {variable}");
            if (variable.Contains('\0', StringComparison.Ordinal)) throw EngineException.Invalid("invalid environment variable: contains a NUL character");
        }
        foreach (var word in (body.Cmd ?? []).Concat(body.Entrypoint ?? []))
        {
            if (word is null) throw EngineException.Invalid("invalid command: null entries are not allowed in Cmd or Entrypoint");
        }
        foreach (var port in created.Config.ExposedPorts) ContainerPort(port);
        foreach (var (key, mappings) in created.Host.PortBindings)
        {
            ContainerPort(key);
            foreach (var mapping in mappings)
            {
                HostPort(mapping.HostPort);
                if (mapping.HostIp.Length > 0 && !IPAddress.TryParse(mapping.HostIp, out _))
                    throw EngineException.Invalid($"invalid IP address: {mapping.HostIp}");
            }
        }
        if (created.Config.StopSignal is { } signal && !SignalNames.TryParse(signal, out _))
            throw EngineException.Invalid($"invalid signal: {signal}");
        if (body.HostConfig?.Runtime is { Length: > 0 } runtime && !Runtimes.Contains(runtime, StringComparer.Ordinal))
            throw EngineException.Invalid($"Unknown runtime specified {runtime}");
    }

    /// <summary>"80", "80/tcp", "53/udp", "9/sctp": a port 1-65535 and a protocol this engine knows.</summary>
    public static void ContainerPort(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? key : key[..slash];
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..];
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw EngineException.Invalid($"invalid port specification: \"{key}\"");
        if (protocol is not ("tcp" or "udp" or "sctp"))
            throw EngineException.Invalid($"invalid port specification: \"{key}\": unknown protocol \"{protocol}\" (tcp, udp or sctp)");
    }

    /// <summary>"" (any free port), "8080", or a range "8000-8010".</summary>
    private static void HostPort(string text)
    {
        if (text.Length == 0) return;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? text : text[..dash];
        var last = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var a) || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || a > 65535 || b > 65535 || b < a || (dash > 0 && a == 0))
            throw EngineException.Invalid($"invalid hostPort: {text}");
    }
}

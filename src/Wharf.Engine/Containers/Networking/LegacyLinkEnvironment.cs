using System.Globalization;

namespace Wharf.Engine.Containers.Networking;

/// <summary>The environment variables a legacy link gives the linking container, as Docker's links package writes
/// them: ALIAS_NAME=/parent/alias, ALIAS_PORT (the lowest port), ALIAS_PORT_80_TCP (and _ADDR, _PORT, _PROTO) per
/// port of the linked container, and ALIAS_ENV_KEY for each of its variables but HOME and PATH. The alias is upper
/// cased with '-' as '_'.</summary>
public static class LegacyLinkEnvironment
{
    /// <param name="parentName">The linking container's name, without '/'.</param>
    /// <param name="childAddress">The linked container's address on the default bridge.</param>
    /// <param name="childPorts">Its exposed and published ports ("80/tcp", "53/udp", "8080").</param>
    /// <param name="childEnv">Its configured environment (image's, then its own).</param>
    public static IReadOnlyList<string> For(string parentName, string alias, string childAddress, IEnumerable<string> childPorts, IEnumerable<string> childEnv)
    {
        ArgumentNullException.ThrowIfNull(alias);
        var prefix = alias.ToUpperInvariant().Replace('-', '_');
        var env = new List<string>();
        var ports = childPorts.Select(ParsePort).Distinct().OrderBy(p => p.Number).ThenBy(p => p.Protocol == "tcp" ? 0 : 1).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList();
        if (ports.Count > 0) env.Add($"{prefix}_PORT={ports[0].Protocol}://{childAddress}:{ports[0].Number}");
        foreach (var (number, protocol) in ports)
        {
            var key = $"{prefix}_PORT_{number}_{protocol.ToUpperInvariant()}";
            env.Add($"{key}={protocol}://{childAddress}:{number}");
            env.Add($"{key}_ADDR={childAddress}");
            env.Add($"{key}_PORT={number}");
            env.Add($"{key}_PROTO={protocol}");
        }
        env.Add($"{prefix}_NAME=/{parentName}/{alias}");
        foreach (var variable in childEnv)
        {
            var eq = variable.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = variable[..eq];
            // Docker leaves these out: set by every image and build, they say nothing about the linked service.
            if (name is "HOME" or "PATH") continue;
            env.Add($"{prefix}_ENV_{name}={variable[(eq + 1)..]}");
        }
        return env;
    }

    private static (int Number, string Protocol) ParsePort(string port)
    {
        var slash = port.IndexOf('/', StringComparison.Ordinal);
        var number = int.Parse(slash < 0 ? port : port[..slash], NumberStyles.None, CultureInfo.InvariantCulture);
        return (number, slash < 0 ? "tcp" : port[(slash + 1)..].ToLowerInvariant());
    }
}

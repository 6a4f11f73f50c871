namespace Wharf.Engine.Containers.Networking;

/// <summary>One legacy link (HostConfig.Links, `docker run --link name:alias`) on the default bridge. Accepted as
/// "name", "name:alias", or inspect's own "/name:/parent/alias" sent back (docker-compose and copies of inspect do).</summary>
public sealed record LegacyLink(string Target, string Alias)
{
    public static LegacyLink Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2);
        var target = parts[0].TrimStart('/');
        var alias = parts.Length > 1 ? parts[1][(parts[1].LastIndexOf('/') + 1)..] : target;
        if (target.Length == 0 || alias.Length == 0) throw Core.Errors.EngineException.Invalid($"invalid link format: {text}");
        return new LegacyLink(target, alias);
    }

    /// <summary>As stored on the linking container: "name:alias".</summary>
    public override string ToString() => $"{Target}:{Alias}";

    /// <summary>As Docker's inspect shows it: "/name:/parent/alias".</summary>
    public string ToInspect(string parentName) => $"/{Target}:/{parentName}/{Alias}";
}

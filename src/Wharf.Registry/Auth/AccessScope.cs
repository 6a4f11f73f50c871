namespace Wharf.Registry.Auth;

/// <summary>One resource a request needs and what it does to it, as the Docker token spec writes it:
/// "repository:library/busybox:pull,push" or "registry:catalog:*".</summary>
internal sealed record AccessScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public static AccessScope Repository(string name, bool push) =>
        new("repository", name, push ? ["pull", "push"] : ["pull"]);

    public static AccessScope Catalog { get; } = new("registry", "catalog", ["*"]);

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";

    /// <summary>Parses "type:name:actions"; the name may itself contain ':' (a registry host with a port).</summary>
    public static AccessScope? TryParse(string text)
    {
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first) return null;
        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AccessScope(text[..first], text[(first + 1)..last], actions);
    }
}

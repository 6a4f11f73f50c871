namespace Wharf.Compose.Model;

/// <summary>One volumes_from entry: "SERVICE[:MODE]" names a service of the project, "container:NAME[:MODE]" a
/// container outside it; MODE (ro, rw) goes to the engine as written.</summary>
public sealed record VolumesFromSpec(string? Service, string? Container, string? Mode)
{
    private const string ContainerPrefix = "container:";

    public static bool TryParse(string text, out VolumesFromSpec spec)
    {
        ArgumentNullException.ThrowIfNull(text);
        var isContainer = text.StartsWith(ContainerPrefix, StringComparison.Ordinal);
        var rest = isContainer ? text[ContainerPrefix.Length..] : text;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? rest : rest[..colon];
        var mode = colon < 0 ? null : rest[(colon + 1)..];
        spec = new VolumesFromSpec(isContainer ? null : name, isContainer ? name : null, mode);
        return name.Length > 0 && mode is null or "ro" or "rw";
    }

    /// <summary>What the engine gets: the source container (id or name) with the mode kept.</summary>
    public string EngineValue(string container) => Mode is null ? container : container + ":" + Mode;
}

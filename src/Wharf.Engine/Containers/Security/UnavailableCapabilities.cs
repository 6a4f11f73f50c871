namespace Wharf.Engine.Containers.Security;

/// <summary>--cap-add names the host cannot grant. Docker passes them to runc, which fails the start with "unable
/// to apply caps"; Wharf instead creates the container, warns once naming each one, and runs without it (the
/// effective set is always cut to the host's bounding set, see Spec.Capabilities.Compute). "ALL" and --privileged
/// mean "everything the host has" and never warn.</summary>
public static class UnavailableCapabilities
{
    /// <summary>The explicitly added capabilities missing from the host's bounding set, normalized to CAP_*.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> capAdd, bool privileged, IReadOnlyCollection<string>? hostBounding)
    {
        if (privileged || hostBounding is null) return [];
        return capAdd
            .Select(Normalize)
            .Where(name => name != "CAP_ALL" && !hostBounding.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The create warning for one missing capability (shown by docker run/create as "WARNING: ...").</summary>
    public static string Warning(string capability) =>
        $"Capability {capability} is not in the host's capability bounding set: --cap-add {capability} is ignored and the container runs without it";

    private static string Normalize(string raw)
    {
        var name = raw.Trim().ToUpperInvariant();
        return name.StartsWith("CAP_", StringComparison.Ordinal) ? name : "CAP_" + name;
    }
}

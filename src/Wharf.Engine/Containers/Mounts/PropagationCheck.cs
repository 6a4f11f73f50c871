using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Mounts;

/// <summary>rshared/rslave bind propagation only works when the host mount holding the source is itself shared
/// (slave also accepts a slave mount); like Docker, say so instead of starting a container whose mounts silently
/// do not propagate. Works on the text of /proc/self/mountinfo.</summary>
public static class PropagationCheck
{
    public static void Ensure(string mountInfo, string source, string propagation)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        ArgumentNullException.ThrowIfNull(source);
        var wantsShared = propagation is "shared" or "rshared";
        var wantsSlave = propagation is "slave" or "rslave";
        if (!wantsShared && !wantsSlave) return;
        string? bestMount = null;
        string[]? bestFields = null;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 7) continue;
            var mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var contains = mountPoint == "/" || source == mountPoint || source.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            if (contains && (bestMount is null || mountPoint.Length >= bestMount.Length))
            {
                bestMount = mountPoint;
                bestFields = fields;
            }
        }
        if (bestMount is null || bestFields is null) return;
        var optional = bestFields.Skip(6).TakeWhile(f => f != "-").ToList();
        var shared = optional.Any(f => f.StartsWith("shared:", StringComparison.Ordinal));
        var slave = optional.Any(f => f.StartsWith("master:", StringComparison.Ordinal));
        if (wantsShared && !shared)
            throw EngineException.Invalid($"path {source} is mounted on {bestMount} but it is not a shared mount");
        if (wantsSlave && !shared && !slave)
            throw EngineException.Invalid($"path {source} is mounted on {bestMount} but it is not a shared or slave mount");
    }
}

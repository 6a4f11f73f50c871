namespace Wharf.Engine.Volumes;

/// <summary>Who references a volume. The container service answers it from its records, so references need no
/// separate bookkeeping that could drift (and survive restarts for free).</summary>
public interface IVolumeUsers
{
    /// <summary>Ids of the containers (running or not) that mount <paramref name="volumeName"/>.</summary>
    IReadOnlyList<string> ContainersUsing(string volumeName);
}

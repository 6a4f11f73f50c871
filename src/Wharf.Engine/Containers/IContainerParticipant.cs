namespace Wharf.Engine.Containers;

/// <summary>A part of the container subsystem that holds something for a container's run (its volumes, its network
/// endpoints) and gives it back when the run ends. The lifecycle calls the participants in the order they are
/// given — volumes before networking, as Docker releases them — after every exit and every failed start.</summary>
public interface IContainerParticipant
{
    /// <summary>What is released, for the log when it fails ("volume release").</summary>
    string Name { get; }

    /// <summary>Releases what the run held. Idempotent: a crashed shim, a failed start and an exit may all call it.</summary>
    void ReleaseRun(ContainerRecord record);
}

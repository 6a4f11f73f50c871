namespace Wharf.Engine.Events;

/// <summary>One event as Docker's /events reports it: Type (container, image, ...), Action, the actor and its
/// attributes, and the time in nanoseconds since the epoch.</summary>
public sealed record EngineEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes,
    long TimeNano,
    string Scope = "local")
{
    public long TimeSeconds => TimeNano / 1_000_000_000;
}

namespace Wharf.Engine.Containers.Filters;

/// <summary>What the events filter looks at in one event: its type ("container", "image", "network",
/// "volume", "daemon"), action ("start", "exec_create: sh -c ..."), actor id and attributes (name, image, labels).</summary>
public sealed record EventFilterSubject(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes);

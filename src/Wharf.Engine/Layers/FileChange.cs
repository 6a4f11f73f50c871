namespace Wharf.Engine.Layers;

/// <summary>One line of docker diff: an absolute path inside the container and what happened to it.</summary>
public sealed record FileChange(string Path, ChangeKind Kind);

namespace Wharf.Engine.Containers;

/// <summary>A create request after the API edge has bound and mapped it.</summary>
public sealed record ContainerCreateParams(string? Name, ContainerConfig Config, HostSettings Host);

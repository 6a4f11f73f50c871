namespace Wharf.Engine.Containers;

/// <summary>A create request after the API edge has bound and mapped it.</summary>
/// <param name="MacAddress">The container-wide Config.MacAddress (deprecated since API 1.44, still sent by older
/// clients such as docker-py 7): the create moves it onto the main network's endpoint request, as Docker does.</param>
public sealed record ContainerCreateParams(string? Name, ContainerConfig Config, HostSettings Host, string MacAddress = "");

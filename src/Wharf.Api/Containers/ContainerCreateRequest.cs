namespace Wharf.Api.Containers;

/// <summary>Body of POST /containers/create: the container config plus host and networking config.</summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }
    public NetworkingConfig? NetworkingConfig { get; set; }
}

namespace Wharf.Api.Containers;

public sealed class ContainerSummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings>? Networks { get; set; }
}

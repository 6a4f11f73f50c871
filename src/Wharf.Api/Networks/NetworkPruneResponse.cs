namespace Wharf.Api.Networks;

public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}

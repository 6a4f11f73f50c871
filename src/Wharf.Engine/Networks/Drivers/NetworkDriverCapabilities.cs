namespace Wharf.Engine.Networks.Drivers;

/// <summary>What a driver's networks offer, asked by the service and by containers instead of the driver's name.</summary>
public sealed record NetworkDriverCapabilities
{
    /// <summary>Containers connected to the network get an endpoint of their own (a link, addresses). False for host
    /// and null: a container on them cannot be on any other network.</summary>
    public bool AcceptsEndpoints { get; init; }

    /// <summary>Containers use the host's network namespace (host): no namespace, the host's hosts and resolv.conf.</summary>
    public bool UsesHostNamespace { get; init; }

    /// <summary>Only the network the daemon creates at start exists (host, null): `network create -d` refuses it.</summary>
    public bool Singleton { get; init; }

    /// <summary>The host owns the gateway address (the bridge carries it): a configured subnet without a gateway gets
    /// its first address. Without it the gateway is somewhere on the parent's network, only used as given.</summary>
    public bool HasGateway { get; init; }

    /// <summary>The embedded DNS server answers on the gateway (user-defined networks only, as in Docker).</summary>
    public bool ProvidesDns { get; init; }

    /// <summary>Published ports get DNAT rules towards the endpoint.</summary>
    public bool SupportsPorts { get; init; }

    /// <summary>Endpoints get addresses from the network's IPAM pools.</summary>
    public bool UsesIpam { get; init; }
}

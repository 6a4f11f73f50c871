namespace Wharf.Engine.Containers;

/// <summary>What a create without a network mode ("" or "default") is attached to. As in Docker, the default
/// bridge only when the request names no network of its own: a client that sends just
/// <c>NetworkingConfig.EndpointsConfig</c> (Testcontainers' <c>WithNetwork</c>) gets those networks alone, with the
/// first one primary, so the container uses that network's embedded DNS and resolves its peers' aliases.</summary>
internal static class DefaultNetworkMode
{
    public static string Resolve(HostSettings host)
    {
        if (host.NetworkMode is not ("" or "default")) return host.NetworkMode;
        if (host.EndpointsConfig.Count == 0 || host.EndpointsConfig.ContainsKey("default") || host.EndpointsConfig.ContainsKey("bridge"))
            return "bridge";
        return host.EndpointsConfig.Keys.First();
    }
}

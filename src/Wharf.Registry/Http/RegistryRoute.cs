namespace Wharf.Registry.Http;

/// <summary>What a /v2/... path addresses. Repository names contain '/', so the path is split at the last
/// well-known marker rather than by a route template.</summary>
internal enum RegistryEndpoint
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    Uploads,
    Upload,
    Referrers,
}

/// <summary>A parsed /v2 path: the endpoint, the repository name and the reference/digest/upload id that follows it.</summary>
internal sealed record RegistryRoute(RegistryEndpoint Endpoint, string Name = "", string Reference = "")
{
    public static RegistryRoute? Parse(string path)
    {
        if (path is "/v2" or "/v2/") return new RegistryRoute(RegistryEndpoint.Base);
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return null;
        var rest = path[4..];
        if (rest is "_catalog" or "_catalog/") return new RegistryRoute(RegistryEndpoint.Catalog);
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal)) return new RegistryRoute(RegistryEndpoint.Tags, rest[..^"/tags/list".Length]);
        if (rest.EndsWith("/blobs/uploads", StringComparison.Ordinal) || rest.EndsWith("/blobs/uploads/", StringComparison.Ordinal))
            return new RegistryRoute(RegistryEndpoint.Uploads, rest[..rest.LastIndexOf("/blobs/uploads", StringComparison.Ordinal)]);
        foreach (var (marker, endpoint) in Markers)
        {
            var at = rest.LastIndexOf(marker, StringComparison.Ordinal);
            if (at <= 0) continue;
            var reference = rest[(at + marker.Length)..];
            if (reference.Length == 0 || reference.Contains('/', StringComparison.Ordinal)) continue;
            return new RegistryRoute(endpoint, rest[..at], Uri.UnescapeDataString(reference));
        }
        return null;
    }

    private static readonly (string Marker, RegistryEndpoint Endpoint)[] Markers =
    [
        ("/blobs/uploads/", RegistryEndpoint.Upload),
        ("/manifests/", RegistryEndpoint.Manifest),
        ("/referrers/", RegistryEndpoint.Referrers),
        ("/blobs/", RegistryEndpoint.Blob),
    ];
}

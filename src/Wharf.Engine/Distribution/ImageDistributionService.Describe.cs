using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

/// <summary>What GET /distribution/{name}/json reports: the registry's descriptor of the reference and the platforms
/// it serves (an index's entries, or a single manifest's config platform).</summary>
public sealed record DistributionDescription(string MediaType, string Digest, long Size, IReadOnlyList<DistributionPlatform> Platforms);

/// <summary>One platform a registry serves for a reference.</summary>
public sealed record DistributionPlatform(string Os, string Architecture, string? Variant);

public sealed partial class ImageDistributionService
{
    /// <summary>docker manifest/buildx's "what would a pull get": resolves the reference on its registry without
    /// downloading layers.</summary>
    public async Task<DistributionDescription> DescribeAsync(ImageReference reference, RegistryCredentials? credentials, CancellationToken ct)
    {
        var wanted = reference.Digest ?? reference.Tag ?? ImageReference.DefaultTag;
        var (client, body) = await OpenForPullAsync(reference, wanted, credentials, ct).ConfigureAwait(false);
        using var endpoint = client;
        var manifest = ManifestInfo.Parse(body, null);
        var digest = Digest.Compute(body).Value;
        if (manifest.IsIndex)
        {
            var platforms = manifest.Manifests.Where(m => m.Os is not null && m.Architecture is not null)
                .Select(m => new DistributionPlatform(m.Os!, m.Architecture!, m.Variant)).ToList();
            return new DistributionDescription(manifest.MediaType, digest, body.Length, platforms);
        }
        var platform = new List<DistributionPlatform>();
        if (manifest.Config is { } configDescriptor)
        {
            var configBytes = await FetchSmallBlobAsync(client, reference, configDescriptor.Digest, ct).ConfigureAwait(false);
            var config = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig);
            if (config is not null) platform.Add(new DistributionPlatform(config.Os, config.Architecture, null));
        }
        return new DistributionDescription(manifest.MediaType, digest, body.Length, platform);
    }
}

using Wharf.Core.Errors;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

public sealed partial class ImageDistributionService
{
    /// <summary>The registry a pull talks to, with the top manifest already fetched from it: for docker.io the
    /// configured mirrors first, in order (one that is down or lacks the image is skipped, as Docker does), then
    /// Docker Hub itself; any other registry directly.</summary>
    private async Task<(RegistryClient Client, byte[] Manifest)> OpenForPullAsync(ImageReference reference, string wanted,
        RegistryCredentials? credentials, CancellationToken ct)
    {
        if (reference.Domain == ImageReference.DefaultDomain)
        {
            foreach (var mirror in options.RegistryMirrors)
            {
                var candidate = new RegistryClient(reference.Domain, credentials, options, mirror);
                try
                {
                    var (body, _) = await FetchManifestAsync(candidate, reference, wanted, ct).ConfigureAwait(false);
                    return (candidate, body);
                }
                catch (Exception e) when (e is EngineException or HttpRequestException or IOException && !ct.IsCancellationRequested)
                {
                    candidate.Dispose();
                }
            }
        }
        RegistryAllowList.EnsureAllowed(options.AllowedRegistries, reference.Domain, reference.FamiliarString);
        var client = new RegistryClient(reference.Domain, credentials, options);
        try
        {
            var (body, _) = await FetchManifestAsync(client, reference, wanted, ct).ConfigureAwait(false);
            return (client, body);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}

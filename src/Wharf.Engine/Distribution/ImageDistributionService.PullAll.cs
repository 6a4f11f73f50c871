using System.Net;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

public sealed partial class ImageDistributionService
{
    /// <summary>docker pull -a: every tag of the repository (the registry's tag list, all pages), one after the
    /// other, with Docker's single closing status line for the repository.</summary>
    public async Task PullAllTagsAsync(ImageReference repository, string? platform, RegistryCredentials? credentials,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        List<string> tags;
        using (var client = new RegistryClient(repository.Domain, credentials, options))
        {
            tags = await ListTagsAsync(client, repository, ct).ConfigureAwait(false);
        }
        if (tags.Count == 0) throw EngineException.NotFound($"manifest for {repository.FamiliarName} not found: no tags");

        var downloaded = false;
        foreach (var tag in tags)
        {
            var tagged = ImageReference.Parse($"{repository.Name}:{tag}");
            await PullAsync(tagged, platform, credentials, async progress =>
            {
                if (progress.Status.StartsWith("Status: ", StringComparison.Ordinal))
                {
                    downloaded |= progress.Status.StartsWith("Status: Downloaded", StringComparison.Ordinal);
                    return;
                }
                // Docker names the tag on each "Pulling from" line when it pulls several.
                await report(progress.Status.StartsWith("Pulling from ", StringComparison.Ordinal) ? progress with { Id = tag } : progress).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        await report(new DistributionProgress(null, downloaded
            ? $"Status: Downloaded newer image for {repository.FamiliarName}"
            : $"Status: Image is up to date for {repository.FamiliarName}")).ConfigureAwait(false);
    }

    /// <summary>GET /v2/&lt;name&gt;/tags/list, following the Link header's next pages.</summary>
    private static async Task<List<string>> ListTagsAsync(RegistryClient client, ImageReference repository, CancellationToken ct)
    {
        var tags = new List<string>();
        string? next = $"/v2/{repository.Path}/tags/list";
        while (next is not null)
        {
            var page = next;
            using var response = await client.SendAsync(b => Get(b, page), repository.Path, push: false, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw EngineException.NotFound($"repository {repository.FamiliarName} not found: name unknown: repository name not known to registry");
            if (IsAuthFailure(response.StatusCode)) throw AccessDenied("pull", repository);
            if (!response.IsSuccessStatusCode)
                throw new EngineException(ErrorKind.Unknown, $"error listing tags of {repository.FamiliarName}: {await DescribeErrorAsync(response, ct).ConfigureAwait(false)}");
            using var document = JsonDocument.Parse(await BoundedBody.ReadAsync(response, BoundedBody.ManifestLimit, "tag list", ct).ConfigureAwait(false));
            if (document.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                tags.AddRange(list.EnumerateArray().Select(t => t.GetString() ?? "").Where(t => t.Length > 0));
            next = NextPage(response);
        }
        return tags;
    }

    /// <summary>Link: &lt;/v2/name/tags/list?n=100&amp;last=x&gt;; rel="next" → the path and query inside the brackets.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                var target = link[(open + 1)..close];
                return Uri.TryCreate(target, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : target;
            }
        }
        return null;
    }
}

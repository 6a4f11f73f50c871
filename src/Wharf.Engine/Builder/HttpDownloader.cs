using Wharf.Core.Errors;

namespace Wharf.Engine.Builder;

/// <summary>ADD http(s)://... with HttpClient: a non-success status fails the step with Docker's wording.</summary>
public sealed class HttpDownloader : IHttpDownloader
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromMinutes(10) };

    public async Task DownloadAsync(Uri url, string destinationFile, CancellationToken ct)
    {
        using var response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw EngineException.Invalid($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var file = File.Create(destinationFile);
            await using (file.ConfigureAwait(false))
            {
                await body.CopyToAsync(file, ct).ConfigureAwait(false);
            }
        }
    }
}

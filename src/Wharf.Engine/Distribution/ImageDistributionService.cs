using System.Net;
using System.Net.Http.Headers;
using Wharf.Core.Errors;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

/// <summary>docker pull, push and login over the distribution protocol, into and out of the local image store.
/// Progress goes to a callback that is never called concurrently (the daemon streams it as JSON lines); failures
/// before the first progress message are thrown so the caller can still answer with an HTTP error.</summary>
public sealed partial class ImageDistributionService(ImageService images, DistributionOptions options, string dataRoot)
{
    private const string ManifestAccept = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

    /// <summary>POST /auth: verifies credentials against <paramref name="serverAddress"/>.</summary>
    public async Task LoginAsync(string serverAddress, RegistryCredentials credentials, CancellationToken ct)
    {
        using var client = new RegistryClient(RegistryDomain(serverAddress), credentials, options);
        await client.LoginAsync(ct).ConfigureAwait(false);
    }

    /// <summary>"https://index.docker.io/v1/" → docker.io; "http://127.0.0.1:5000" → 127.0.0.1:5000.</summary>
    public static string RegistryDomain(string serverAddress)
    {
        var address = serverAddress.Trim();
        if (address.Length == 0) return "docker.io";
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && address.Contains("://", StringComparison.Ordinal))
            address = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        address = address.TrimEnd('/');
        return address is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : address;
    }

    private static HttpRequestMessage Get(Uri baseUri, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        if (accept is not null)
        {
            foreach (var type in accept.Split(',', StringSplitOptions.TrimEntries)) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        return request;
    }

    /// <summary>A registry error response as "code: message" (or the status when the body is not the spec's JSON).</summary>
    private static async Task<string> DescribeErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await BoundedBody.ReadAsync(response, BoundedBody.SmallLimit, "error body", ct).ConfigureAwait(false);
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var error = document.RootElement.GetProperty("errors")[0];
            var code = error.GetProperty("code").GetString()?.ToLowerInvariant().Replace('_', ' ');
            return $"{code}: {error.GetProperty("message").GetString()}";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or EngineException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }

    private static bool IsAuthFailure(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static EngineException AccessDenied(string verb, ImageReference reference) =>
        new(ErrorKind.NotFound, verb == "pull"
            ? $"pull access denied for {reference.FamiliarName}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            : "denied: requested access to the resource is denied");
}

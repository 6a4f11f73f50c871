namespace Wharf.Engine.Builder;

/// <summary>Fetches ADD's remote URLs (a seam for tests).</summary>
public interface IHttpDownloader
{
    Task DownloadAsync(Uri url, string destinationFile, CancellationToken ct);
}

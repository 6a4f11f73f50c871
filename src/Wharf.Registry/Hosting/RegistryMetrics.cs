using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Wharf.Registry.Hosting;

/// <summary>Counters exposed at /metrics in the Prometheus text format.</summary>
internal sealed class RegistryMetrics
{
    private readonly ConcurrentDictionary<(string Method, int Status), long> _requests = new();
    private long _bytesSent;
    private long _bytesReceived;
    private long _blobsUploaded;
    private long _manifestsPushed;

    public void CountRequest(string method, int status) => _requests.AddOrUpdate((method, status), 1, (_, n) => n + 1);
    public void AddBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);
    public void AddBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);
    public void CountBlobUpload() => Interlocked.Increment(ref _blobsUploaded);
    public void CountManifestPush() => Interlocked.Increment(ref _manifestsPushed);

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP registry_http_requests_total HTTP requests by method and status.\n");
        text.Append("# TYPE registry_http_requests_total counter\n");
        foreach (var ((method, status), count) in _requests.OrderBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture, $"registry_http_requests_total{{method=\"{method}\",code=\"{status}\"}} {count}\n");
        }
        Counter(text, "registry_blob_bytes_sent_total", "Blob bytes served.", Interlocked.Read(ref _bytesSent));
        Counter(text, "registry_blob_bytes_received_total", "Blob bytes received in uploads.", Interlocked.Read(ref _bytesReceived));
        Counter(text, "registry_blob_uploads_total", "Blob uploads completed.", Interlocked.Read(ref _blobsUploaded));
        Counter(text, "registry_manifest_pushes_total", "Manifests stored.", Interlocked.Read(ref _manifestsPushed));
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}

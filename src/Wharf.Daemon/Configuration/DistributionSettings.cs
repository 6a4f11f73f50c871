using System.Text.Json;
using Wharf.Engine.Distribution;

namespace Wharf.Daemon.Configuration;

/// <summary>The registry settings of daemon.json ("insecure-registries", "registry-mirrors", "allowed-registries"), read on their own so the main settings
/// loader stays untouched.</summary>
internal static class DistributionSettings
{
    public static DistributionOptions Read(string configFile)
    {
        var options = new DistributionOptions();
        // Test hooks: a certs.d outside /etc, and a Docker Hub that is not the internet (so a mirror test that
        // misses its mirror fails instead of pulling from Docker Hub).
        if (Environment.GetEnvironmentVariable("WHARF_CERTS_DIR") is { Length: > 0 } certs) options = options with { CertsDirectory = certs };
        if (Environment.GetEnvironmentVariable("WHARF_DOCKER_HUB_ENDPOINT") is { Length: > 0 } hub) options = options with { DockerHubEndpoint = hub };
        if (!File.Exists(configFile)) return options;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configFile));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("insecure-registries", out var insecure) && insecure.ValueKind == JsonValueKind.Array)
            {
                options = options with { InsecureRegistries = insecure.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList() };
            }
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("registry-mirrors", out var mirrors) && mirrors.ValueKind == JsonValueKind.Array)
            {
                options = options with { RegistryMirrors = mirrors.EnumerateArray().Select(e => e.GetString() ?? "").Select(MirrorUri).OfType<Uri>().ToList() };
            }
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(RegistryAllowList.Key, out var allowed) && allowed.ValueKind == JsonValueKind.Array)
            {
                options = options with { AllowedRegistries = allowed.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList() };
            }
            if (document.RootElement.TryGetProperty("max-concurrent-downloads", out var downloads) && downloads.TryGetInt32(out var d) && d > 0)
                options = options with { MaxConcurrentDownloads = d };
            if (document.RootElement.TryGetProperty("max-concurrent-uploads", out var uploads) && uploads.TryGetInt32(out var u) && u > 0)
                options = options with { MaxConcurrentUploads = u };
        }
        catch (JsonException)
        {
            // The main loader reports a malformed daemon.json; registry settings just keep their defaults.
        }
        return options;
    }

    /// <summary>"https://mirror.example" or "127.0.0.1:5000" (https assumed, as dockerd does) → its base URL.</summary>
    private static Uri? MirrorUri(string text)
    {
        if (text.Length == 0) return null;
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }
}

using System.Text.Json;
using Wharf.Engine.Distribution;

namespace Wharf.Daemon.Configuration;

/// <summary>The registry settings of daemon.json ("insecure-registries"), read on their own so the main settings
/// loader stays untouched.</summary>
internal static class DistributionSettings
{
    public static DistributionOptions Read(string configFile)
    {
        var options = new DistributionOptions();
        if (!File.Exists(configFile)) return options;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configFile));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("insecure-registries", out var insecure) && insecure.ValueKind == JsonValueKind.Array)
            {
                options = options with { InsecureRegistries = insecure.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList() };
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
}

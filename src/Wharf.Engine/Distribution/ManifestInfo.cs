using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;

namespace Wharf.Engine.Distribution;

/// <summary>The parts of a manifest or index a pull needs.</summary>
internal sealed record ManifestInfo(string MediaType, Descriptor? Config, IReadOnlyList<Descriptor> Layers, IReadOnlyList<Descriptor> Manifests)
{
    public bool IsIndex => Manifests.Count > 0 && Config is null;

    public static ManifestInfo Parse(byte[] body, string? contentType)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var mediaType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : contentType ?? "";
            if (root.TryGetProperty("schemaVersion", out var version) && version.GetInt32() == 1)
                throw EngineException.Invalid("schema 1 manifests are not supported");
            Descriptor? config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? Descriptor.From(c) : null;
            var layers = root.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.Array ? l.EnumerateArray().Select(Descriptor.From).ToList() : [];
            var manifests = root.TryGetProperty("manifests", out var m) && m.ValueKind == JsonValueKind.Array ? m.EnumerateArray().Select(Descriptor.From).ToList() : [];
            return new ManifestInfo(mediaType, config, layers, manifests);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw EngineException.Invalid("invalid manifest: " + e.Message);
        }
    }
}

/// <summary>An OCI descriptor (with the platform of an index entry).</summary>
internal sealed record Descriptor(string MediaType, Digest Digest, long Size, string? Os, string? Architecture, string? Variant)
{
    public static Descriptor From(JsonElement element)
    {
        string? Platform(string name) => element.TryGetProperty("platform", out var p) && p.TryGetProperty(name, out var v) ? v.GetString() : null;
        return new Descriptor(
            element.TryGetProperty("mediaType", out var mt) ? mt.GetString() ?? "" : "",
            Digest.Parse(element.GetProperty("digest").GetString() ?? ""),
            element.TryGetProperty("size", out var size) ? size.GetInt64() : -1,
            Platform("os"), Platform("architecture"), Platform("variant"));
    }
}

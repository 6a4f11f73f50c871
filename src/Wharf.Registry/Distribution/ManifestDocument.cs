using System.Text.Json;
using Wharf.Core;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Distribution;

/// <summary>What the registry needs to know about a pushed manifest: its media type, the blobs and child manifests
/// it references (which must exist before it is accepted), and the referrers-API fields.</summary>
internal sealed record ManifestDocument(
    string MediaType,
    IReadOnlyList<Digest> Blobs,
    IReadOnlyList<Digest> Children,
    Digest? Subject,
    string? ArtifactType,
    string? ConfigMediaType,
    string? AnnotationsJson)
{
    /// <summary>Parses and checks a manifest body. <paramref name="contentType"/> is the request's Content-Type,
    /// used when the document does not name its own media type.</summary>
    public static ManifestDocument Parse(ReadOnlySpan<byte> body, string? contentType)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid("manifest is not a JSON object");
            var declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            var requested = BareContentType(contentType);
            if (declared is not null && requested is not null && requested != declared && MediaTypes.IsKnownManifest(requested))
                throw Invalid($"mediaType in manifest ({declared}) does not match Content-Type ({requested})");
            var hasManifests = root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array;
            var mediaType = declared ?? requested ?? (hasManifests ? MediaTypes.OciIndex : MediaTypes.OciManifest);
            if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && (!version.TryGetInt32(out var schema) || schema != 2))
                throw Invalid("only schemaVersion 2 manifests are supported");

            var blobs = new List<Digest>();
            var children = new List<Digest>();
            string? configMediaType = null;
            if (MediaTypes.IsIndex(mediaType) || (hasManifests && !root.TryGetProperty("layers", out _)))
            {
                if (!hasManifests) throw Invalid("index has no manifests");
                foreach (var child in manifests.EnumerateArray()) children.Add(DescriptorDigest(child));
            }
            else
            {
                if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
                    throw Invalid("manifest has no config");
                blobs.Add(DescriptorDigest(config));
                configMediaType = config.TryGetProperty("mediaType", out var cmt) ? cmt.GetString() : null;
                if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                {
                    foreach (var layer in layers.EnumerateArray())
                    {
                        // Foreign layers (with urls) live elsewhere and need not be in this registry.
                        if (layer.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0) continue;
                        blobs.Add(DescriptorDigest(layer));
                    }
                }
            }

            Digest? subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.Object ? DescriptorDigest(s) : null;
            var artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            var annotations = root.TryGetProperty("annotations", out var an) && an.ValueKind == JsonValueKind.Object ? an.GetRawText() : null;
            return new ManifestDocument(mediaType, blobs, children, subject, artifactType, configMediaType, annotations);
        }
        catch (JsonException e)
        {
            throw Invalid("manifest is not valid JSON: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw Invalid("manifest has a field of the wrong type: " + e.Message);
        }
    }

    /// <summary>"application/json; charset=utf-8" → "application/json".</summary>
    public static string? BareContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
    }

    private static Digest DescriptorDigest(JsonElement descriptor)
    {
        if (descriptor.ValueKind != JsonValueKind.Object || !descriptor.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.String)
            throw Invalid("descriptor without a digest");
        return Digest.TryParse(digest.GetString(), out var parsed) ? parsed : throw Invalid($"invalid descriptor digest {digest.GetString()}");
    }

    private static RegistryException Invalid(string message) => new(RegistryErrorCode.ManifestInvalid, message);
}

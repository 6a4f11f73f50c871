using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Content;
using Wharf.Engine.Layers;

namespace Wharf.Engine.Images.Archive;

/// <summary>docker save: writes one tar that is both a docker-archive (manifest.json, repositories) and an OCI image
/// layout (oci-layout, index.json, blobs/sha256), as Docker 25+ does. Layers are written uncompressed, so their
/// blob digests are the images' diff ids and the config bytes are the stored ones: a round trip keeps the image id
/// and every layer digest.</summary>
internal sealed class ImageArchiveWriter(ContentStore content)
{
    public void Write(IReadOnlyList<(ImageRecord Image, IReadOnlyList<ImageReference> References)> images, Stream output)
    {
        var tar = new TarStreamWriter(output);
        var written = new HashSet<Digest>();
        var manifestEntries = new List<DockerArchiveManifestEntry>();
        var index = new ArchiveIndex();
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

        WriteDirectory(tar, "blobs/");
        WriteDirectory(tar, "blobs/sha256/");
        foreach (var (image, references) in images)
        {
            var layers = new List<ArchiveDescriptor>();
            foreach (var diffId in image.DiffIds)
            {
                WriteBlob(tar, diffId, written);
                layers.Add(new ArchiveDescriptor { MediaType = MediaTypes.OciLayer, Digest = diffId.Value, Size = content.Size(diffId) });
            }
            WriteBlob(tar, image.Id, written);
            var manifest = new ArchiveManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new ArchiveDescriptor { MediaType = MediaTypes.OciConfig, Digest = image.Id.Value, Size = content.Size(image.Id) },
                Layers = layers,
            };
            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.ArchiveManifest);
            var manifestDigest = Digest.Compute(manifestBytes);
            if (written.Add(manifestDigest)) WriteFile(tar, "blobs/sha256/" + manifestDigest.Hex, manifestBytes);

            if (references.Count == 0)
            {
                index.Manifests.Add(new ArchiveDescriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.Value, Size = manifestBytes.Length });
            }
            foreach (var reference in references)
            {
                index.Manifests.Add(new ArchiveDescriptor
                {
                    MediaType = MediaTypes.OciManifest,
                    Digest = manifestDigest.Value,
                    Size = manifestBytes.Length,
                    Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["io.containerd.image.name"] = reference.ToString(),
                        ["org.opencontainers.image.ref.name"] = reference.Tag ?? "latest",
                    },
                });
                if (image.DiffIds.Count > 0)
                {
                    if (!repositories.TryGetValue(reference.FamiliarName, out var tags)) repositories[reference.FamiliarName] = tags = new(StringComparer.Ordinal);
                    tags[reference.Tag ?? "latest"] = image.DiffIds[^1].Hex;
                }
            }
            manifestEntries.Add(new DockerArchiveManifestEntry
            {
                Config = "blobs/sha256/" + image.Id.Hex,
                RepoTags = references.Select(r => r.FamiliarString).ToList(),
                Layers = image.DiffIds.Select(d => "blobs/sha256/" + d.Hex).ToList(),
            });
        }

        WriteFile(tar, "index.json", JsonSerializer.SerializeToUtf8Bytes(index, ArchiveJsonContext.Default.ArchiveIndex));
        WriteFile(tar, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifestEntries, ArchiveJsonContext.Default.ListDockerArchiveManifestEntry));
        WriteFile(tar, "oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayout(), ArchiveJsonContext.Default.OciLayout));
        if (repositories.Count > 0)
        {
            WriteFile(tar, "repositories", JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString));
        }
        tar.Finish();
    }

    private void WriteBlob(TarStreamWriter tar, Digest digest, HashSet<Digest> written)
    {
        if (!written.Add(digest)) return;
        using var blob = content.OpenRead(digest);
        tar.Write(new TarRecord('0', "blobs/sha256/" + digest.Hex, 0x1A4, Size: blob.Length), blob);
    }

    private static void WriteDirectory(TarStreamWriter tar, string name) => tar.Write(new TarRecord('5', name, 0x1ED));

    private static void WriteFile(TarStreamWriter tar, string name, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        tar.Write(new TarRecord('0', name, 0x1A4, Size: bytes.Length), stream);
    }
}

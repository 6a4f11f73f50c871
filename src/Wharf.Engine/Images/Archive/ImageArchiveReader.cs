using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Content;

namespace Wharf.Engine.Images.Archive;

/// <summary>docker load: unpacks a docker-archive (manifest.json; legacy &lt;id&gt;/layer.tar or Docker 25+ blobs)
/// or an OCI image layout (index.json) into a private temporary directory, checks every digest, and moves the
/// layers (decompressed from gzip or zstd when needed) into the content store. Entries that would escape the
/// directory are rejected; links inside the archive are followed only within it.</summary>
internal sealed class ImageArchiveReader(ContentStore content, string workDirectory)
{
    private const int MaxLinkHops = 16;
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    /// <summary>Blobs this load added to the content store (the caller removes them if the load fails).</summary>
    public List<Digest> AddedBlobs { get; } = [];

    public IReadOnlyList<LoadedImage> Read(Stream archive, Action<Digest, long>? onLayer)
    {
        Extract(archive);
        if (TryResolve("manifest.json", out var manifestPath)) return ReadDockerArchive(manifestPath, onLayer);
        if (TryResolve("index.json", out var indexPath)) return ReadOciLayout(indexPath, onLayer);
        throw EngineException.Invalid("invalid archive: no manifest.json or index.json found (is this a docker save archive?)");
    }

    private void Extract(Stream archive)
    {
        using var plain = LayerDecompression.Open(archive);
        try
        {
            using var reader = new TarReader(plain, leaveOpen: true);
            var any = false;
            while (reader.GetNextEntry() is { } entry)
            {
                any = true;
                var name = Normalize(entry.Name, entry.Name);
                if (name.Length == 0) continue;
                var path = Path.Combine(workDirectory, name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        EnsureDirectory(name, entry.Name);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        EnsureDirectory(Parent(name), entry.Name);
                        if (_links.ContainsKey(name) || Directory.Exists(path)) throw Reject(entry.Name, "duplicate entry");
                        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920))
                        {
                            entry.DataStream?.CopyTo(file);
                        }
                        break;
                    case TarEntryType.SymbolicLink:
                        if (entry.LinkName.StartsWith('/')) throw Reject(entry.Name, "symlink to an absolute path");
                        _links[name] = Normalize(CombineRelative(Parent(name), entry.LinkName), entry.Name);
                        break;
                    case TarEntryType.HardLink:
                        _links[name] = Normalize(entry.LinkName, entry.Name);
                        break;
                    default:
                        break; // devices, fifos, extensions: nothing an image archive needs
                }
            }
            if (!any) throw EngineException.Invalid("invalid archive: empty tar (unexpected EOF)");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw EngineException.Invalid($"invalid archive: {e.Message}");
        }
    }

    private IReadOnlyList<LoadedImage> ReadDockerArchive(string manifestPath, Action<Digest, long>? onLayer)
    {
        var entries = Parse(manifestPath, ArchiveJsonContext.Default.ListDockerArchiveManifestEntry, "manifest.json");
        var images = new List<LoadedImage>();
        foreach (var entry in entries)
        {
            // A JSON null where a member is required (the document's own nulls are not defaults).
            if (entry?.Config is null || entry.Layers is null || entry.Layers.Contains(null!) || entry.RepoTags?.Contains(null!) == true)
            {
                throw EngineException.Invalid("invalid archive: manifest.json: an entry without its Config, Layers or RepoTags");
            }
            if (!TryResolve(entry.Config, out var configPath)) throw EngineException.Invalid($"invalid archive: config {entry.Config} not found");
            var configBytes = File.ReadAllBytes(configPath);
            if (DigestFromName(entry.Config) is { } named && Digest.Compute(configBytes) != named)
            {
                throw EngineException.Invalid($"invalid archive: config {entry.Config} does not match its digest");
            }
            var diffIds = DiffIdsOf(configBytes);
            if (diffIds.Count != entry.Layers.Count)
            {
                throw EngineException.Invalid($"invalid manifest, layers length mismatch: expected {diffIds.Count}, got {entry.Layers.Count}");
            }
            for (var i = 0; i < diffIds.Count; i++)
            {
                if (!TryResolve(entry.Layers[i], out var layerPath) && !content.Exists(diffIds[i]))
                {
                    throw EngineException.Invalid($"invalid archive: layer {entry.Layers[i]} not found");
                }
                StoreLayer(layerPath, diffIds[i], i, onLayer);
            }
            images.Add(new LoadedImage(configBytes, entry.RepoTags ?? []));
        }
        return images;
    }

    private IReadOnlyList<LoadedImage> ReadOciLayout(string indexPath, Action<Digest, long>? onLayer)
    {
        var index = Parse(indexPath, ArchiveJsonContext.Default.ArchiveIndex, "index.json");
        var byConfig = new Dictionary<Digest, (byte[] Config, List<string> References)>();
        var order = new List<Digest>();
        if (index.Manifests is null || index.Manifests.Contains(null!)) throw EngineException.Invalid("invalid archive: index.json: no manifests");
        foreach (var descriptor in index.Manifests)
        {
            var manifest = ResolveManifest(descriptor, depth: 0);
            var configBytes = ReadBlob(manifest.Config);
            var configDigest = Digest.Compute(configBytes);
            if (!byConfig.TryGetValue(configDigest, out var image))
            {
                var diffIds = DiffIdsOf(configBytes);
                if (diffIds.Count != manifest.Layers.Count)
                {
                    throw EngineException.Invalid($"invalid manifest, layers length mismatch: expected {diffIds.Count}, got {manifest.Layers.Count}");
                }
                for (var i = 0; i < diffIds.Count; i++)
                {
                    TryResolve(BlobName(manifest.Layers[i].Digest), out var layerPath);
                    StoreLayer(layerPath, diffIds[i], i, onLayer);
                }
                byConfig[configDigest] = image = (configBytes, []);
                order.Add(configDigest);
            }
            if (ReferenceOf(descriptor) is { } reference && !image.References.Contains(reference)) image.References.Add(reference);
        }
        return order.Select(d => new LoadedImage(byConfig[d].Config, byConfig[d].References)).ToList();
    }

    /// <summary>An index entry may point at a nested index (multi-platform): pick this host's platform, else the first.</summary>
    private ArchiveManifest ResolveManifest(ArchiveDescriptor descriptor, int depth)
    {
        if (depth > 4) throw EngineException.Invalid("invalid archive: indexes nested too deeply");
        ArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(ReadBlob(descriptor), ArchiveJsonContext.Default.ArchiveManifest);
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid($"invalid archive: manifest {descriptor.Digest}: {e.Message}");
        }
        if (manifest is null) throw EngineException.Invalid($"invalid archive: empty manifest {descriptor.Digest}");
        if (manifest.Config is null || manifest.Layers is null || manifest.Layers.Any(l => l?.Digest is null) || manifest.Manifests?.Contains(null!) == true)
        {
            throw EngineException.Invalid($"invalid archive: manifest {descriptor.Digest} without its config or layers");
        }
        if (manifest.Manifests is { Count: > 0 } children)
        {
            var arch = ImageService.HostArchitectureName;
            var pick = children.FirstOrDefault(c => c.Platform is { Os: "linux" } p && p.Architecture == arch) ?? children[0];
            return ResolveManifest(pick, depth + 1);
        }
        return manifest;
    }

    private static string? ReferenceOf(ArchiveDescriptor descriptor)
    {
        if (descriptor.Annotations is not { } annotations) return null;
        if (annotations.TryGetValue("io.containerd.image.name", out var full) && ImageReference.TryParse(full, out var parsed) && parsed.Digest is null)
        {
            return parsed.FamiliarString;
        }
        // A bare tag ("latest") names no repository; only a full reference is usable.
        if (annotations.TryGetValue("org.opencontainers.image.ref.name", out var refName) && (refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal))
            && ImageReference.TryParse(refName, out var named) && named.Digest is null)
        {
            return named.FamiliarString;
        }
        return null;
    }

    private byte[] ReadBlob(ArchiveDescriptor descriptor)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest)) throw EngineException.Invalid($"invalid archive: bad digest \"{descriptor.Digest}\"");
        if (!TryResolve(BlobName(descriptor.Digest), out var path)) throw EngineException.Invalid($"invalid archive: blob {descriptor.Digest} not found");
        var bytes = File.ReadAllBytes(path);
        if (Digest.Compute(bytes) != digest) throw EngineException.Invalid($"invalid archive: blob {descriptor.Digest} does not match its digest");
        return bytes;
    }

    private static string BlobName(string digest) => "blobs/" + digest.Replace(':', '/');

    /// <summary>Moves (or decompresses) one layer into the content store, checking it against the config's diff id.
    /// A layer the store already has is not read at all.</summary>
    private void StoreLayer(string? path, Digest diffId, int position, Action<Digest, long>? onLayer)
    {
        if (content.Exists(diffId))
        {
            onLayer?.Invoke(diffId, content.Size(diffId));
            return;
        }
        if (path is null) throw EngineException.Invalid($"invalid archive: layer {position} ({diffId}) not found");
        Digest actual;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan))
        {
            var head = new byte[6];
            var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = 0;
            if (LayerDecompression.Detect(head.AsSpan(0, read)) == LayerDecompression.Kind.Plain)
            {
                actual = Digest.FromHex(Convert.ToHexStringLower(SHA256.HashData(file)));
                file.Dispose();
                if (actual != diffId) throw DiffIdMismatch(position, diffId, actual);
                content.Adopt(path, actual);
            }
            else
            {
                using var writer = content.BeginWrite();
                using (var plain = LayerDecompression.Open(file))
                {
                    try
                    {
                        plain.CopyTo(writer);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        throw EngineException.Invalid($"invalid archive: layer {position} cannot be decompressed: {e.Message}");
                    }
                }
                actual = writer.Digest;
                if (actual != diffId) throw DiffIdMismatch(position, diffId, actual);
                writer.Commit();
            }
        }
        AddedBlobs.Add(actual);
        onLayer?.Invoke(actual, content.Size(actual));
    }

    private static EngineException DiffIdMismatch(int position, Digest expected, Digest actual) =>
        EngineException.Invalid($"invalid diffID for layer {position}: expected \"{expected}\", got \"{actual}\"");

    private static List<Digest> DiffIdsOf(byte[] configBytes)
    {
        ImageConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig);
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid($"invalid image config: {e.Message}");
        }
        if (config is null) throw EngineException.Invalid("invalid image config: empty document");
        if (config.RootFs?.DiffIds is null) throw EngineException.Invalid("invalid image config: no rootfs");
        var result = new List<Digest>();
        foreach (var text in config.RootFs.DiffIds)
        {
            if (!Digest.TryParse(text, out var d)) throw EngineException.Invalid($"invalid image config: bad diff id \"{text}\"");
            result.Add(d);
        }
        return result;
    }

    private static T Parse<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw EngineException.Invalid($"invalid archive: empty {what}");
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid($"invalid archive: {what}: {e.Message}");
        }
    }

    private static Digest? DigestFromName(string name)
    {
        var file = name.Split('/')[^1];
        if (file.EndsWith(".json", StringComparison.Ordinal)) file = file[..^5];
        return file.Length == 64 && Digest.TryParse("sha256:" + file, out var d) ? d : null;
    }

    /// <summary>Finds an archive member by name, following links recorded during extraction (never outside).</summary>
    private bool TryResolve(string name, out string path)
    {
        path = "";
        string current;
        try
        {
            current = Normalize(name, name);
        }
        catch (EngineException)
        {
            return false;
        }
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            if (_links.TryGetValue(current, out var target))
            {
                current = target;
                continue;
            }
            var full = Path.Combine(workDirectory, current);
            if (!File.Exists(full)) return false;
            path = full;
            return true;
        }
        return false;
    }

    private void EnsureDirectory(string relative, string entryName)
    {
        if (relative.Length == 0) return;
        if (_links.ContainsKey(relative)) throw Reject(entryName, "parent is a link");
        var current = workDirectory;
        var sofar = "";
        foreach (var part in relative.Split('/'))
        {
            sofar = sofar.Length == 0 ? part : sofar + "/" + part;
            if (_links.ContainsKey(sofar)) throw Reject(entryName, "parent is a link");
            current = Path.Combine(current, part);
            if (File.Exists(current)) throw Reject(entryName, "parent is not a directory");
            Directory.CreateDirectory(current);
        }
    }

    private static string Parent(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? "" : name[..slash];
    }

    private static string CombineRelative(string directory, string link) => directory.Length == 0 ? link : directory + "/" + link;

    /// <summary>"./a//b/../c" becomes "a/c"; anything that climbs above the archive root or is absolute is rejected.</summary>
    private static string Normalize(string name, string entryName)
    {
        if (name.StartsWith('/')) throw Reject(entryName, "absolute path");
        var stack = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (stack.Count == 0) throw Reject(entryName, "path escapes the archive");
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            if (part.Contains('\0', StringComparison.Ordinal)) throw Reject(entryName, "NUL in path");
            stack.Add(part);
        }
        return string.Join('/', stack);
    }

    private static EngineException Reject(string entryName, string reason) =>
        EngineException.Invalid($"invalid archive entry \"{entryName}\": {reason}");
}

using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images.Archive;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    internal static string HostArchitectureName => PlatformSpec.HostArchitecture;

    /// <summary>docker save: one tar with the named images (a bare repository name means every tag of it, an id
    /// means the image without names), in docker-archive and OCI layout form at once.</summary>
    public void Save(IReadOnlyList<string> names, Stream output)
    {
        var selected = SelectForSave(names);
        new ImageArchiveWriter(Content).Write(selected.Select(s => (s.Image, (IReadOnlyList<ImageReference>)s.References)).ToList(), output);
    }

    /// <summary>Fails with "No such image" for the first name that resolves to nothing; lets docker save answer
    /// 404 before any byte of the archive is sent.</summary>
    public void CheckSaveNames(IReadOnlyList<string> names) => SelectForSave(names);

    private List<(ImageRecord Image, List<ImageReference> References)> SelectForSave(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw EngineException.Invalid("no images specified");
        var selected = new List<(ImageRecord Image, List<ImageReference> References)>();
        foreach (var name in names)
        {
            foreach (var (image, references) in ImagesForSave(name))
            {
                var existing = selected.FindIndex(s => s.Image.Id == image.Id);
                if (existing < 0)
                {
                    selected.Add((image, references));
                    continue;
                }
                foreach (var reference in references)
                {
                    if (!selected[existing].References.Contains(reference)) selected[existing].References.Add(reference);
                }
            }
        }
        return selected;
    }

    /// <summary>An id: that image without names. "repo:tag": that name. A bare "repo": every tag of the repository
    /// (with or without a "latest" among them), as Docker saves them.</summary>
    private List<(ImageRecord Image, List<ImageReference> References)> ImagesForSave(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        var explicitTag = name.IndexOf(':', lastSlash + 1) >= 0 || name.Contains('@', StringComparison.Ordinal);
        if (!explicitTag && ImageReference.TryParse(name, out var repository) && !name.StartsWith("sha256:", StringComparison.Ordinal))
        {
            var tagged = List()
                .SelectMany(i => i.RepoTags.Select(t => (Image: i, Reference: ImageReference.Parse(t))))
                .Where(x => x.Reference.FamiliarName == repository.FamiliarName)
                .GroupBy(x => x.Image.Id)
                .Select(g => (g.First().Image, g.Select(x => x.Reference).ToList()))
                .ToList();
            if (tagged.Count > 0) return tagged;
        }
        var image = Resolve(name);
        if (image.Id.Value.StartsWith(name, StringComparison.Ordinal) || image.Id.Hex.StartsWith(name, StringComparison.Ordinal)) return [(image, [])];
        return [(image, ImageReference.TryParse(name, out var reference) ? [reference] : [])];
    }

    /// <summary>docker load: reads a docker-archive or OCI layout (plain, gzip or zstd), verifies every digest,
    /// extracts the layers and records the images with their names. All or nothing: on any error the blobs and
    /// layers this load added are removed again and no image is recorded for the failing one.
    /// <paramref name="onLayer"/> reports each layer as it is stored (diff id, size).</summary>
    public IReadOnlyList<LoadResult> Load(Stream archive, Action<Digest, long>? onLayer)
    {
        var scratch = Content.CreateScratchDirectory();
        var reader = new ImageArchiveReader(Content, scratch);
        var knownChains = new HashSet<Digest>(_snapshots.ListLayers());
        var results = new List<LoadResult>();
        try
        {
            var loaded = reader.Read(archive, onLayer);
            foreach (var image in loaded)
            {
                var record = RegisterImage(image.ConfigBytes, image.References, "load");
                results.Add(new LoadResult(record, image.References.Select(r => ImageReference.Parse(r).FamiliarString).ToList()));
            }
            return results;
        }
        catch
        {
            RemoveUnusedAfterFailedLoad(reader.AddedBlobs, knownChains);
            throw;
        }
        finally
        {
            DirectoryTree.ForceDelete(scratch);
        }
    }

    private void RemoveUnusedAfterFailedLoad(IReadOnlyList<Digest> addedBlobs, HashSet<Digest> knownChains)
    {
        lock (_gate)
        {
            var chainsInUse = new HashSet<Digest>();
            foreach (var image in _metadata.Images) chainsInUse.UnionWith(ChainId.Compute(image.Config.RootFs.DiffIds.Select(Digest.Parse).ToList()));
            foreach (var chain in _snapshots.ListLayers())
            {
                if (!knownChains.Contains(chain) && !chainsInUse.Contains(chain)) _snapshots.RemoveLayer(chain);
            }
            foreach (var blob in addedBlobs)
            {
                if (!_metadata.Images.Any(i => i.Config.RootFs.DiffIds.Contains(blob.Value))) Content.Delete(blob);
            }
        }
    }
}

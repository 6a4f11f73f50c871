using Wharf.Core;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>The unpacked size of each of the image's layers, bottom first (0 for a layer not extracted).</summary>
    public IReadOnlyList<long> LayerSizes(ImageRecord image) =>
        ChainId.Compute(image.DiffIds).Select(_snapshots.LayerSize).ToList();

    /// <summary>The sum of every extracted layer, each counted once (system df's LayersSize).</summary>
    public long LayersSize() => _snapshots.ListLayers().Sum(_snapshots.LayerSize);

    /// <summary>Per-image sizes with the shared part: a layer stack used by more than one image is shared.</summary>
    public IReadOnlyList<ImageUsage> Usage()
    {
        var images = List();
        var users = new Dictionary<Digest, int>();
        var chains = images.ToDictionary(i => i.Id, i => ChainId.Compute(i.DiffIds));
        foreach (var chain in chains.Values.SelectMany(c => c)) users[chain] = users.GetValueOrDefault(chain) + 1;
        return images.Select(image =>
        {
            var sizes = chains[image.Id].Select(c => (Size: _snapshots.LayerSize(c), Shared: users[c] > 1)).ToList();
            return new ImageUsage(image, sizes.Sum(s => s.Size), sizes.Where(s => s.Shared).Sum(s => s.Size));
        }).ToList();
    }

    /// <summary>docker image prune: removes dangling images (untagged), or with <paramref name="all"/> every image,
    /// skipping images a container uses and those <paramref name="filter"/> rejects. Layers another image still
    /// needs stay.</summary>
    public ImagePruneResult Prune(bool all, Func<ImageRecord, bool> filter, Func<Digest, bool> isContainerUsing)
    {
        var before = LayersSize();
        var actions = new List<ImageDeleteAction>();
        foreach (var image in List())
        {
            if (!all && image.RepoTags.Count > 0) continue;
            // Intermediate build images go with the image built on them (rmi prunes the chain), never before it.
            if (HasChildren(image.Id)) continue;
            if (isContainerUsing(image.Id) || !filter(image)) continue;
            try
            {
                actions.AddRange(Remove(image.Id.Value, force: true, _ => null));
            }
            catch (Wharf.Core.Errors.EngineException)
            {
                // Removed concurrently or now in use: prune is best effort.
            }
        }
        return new ImagePruneResult(actions, Math.Max(0, before - LayersSize()));
    }
}

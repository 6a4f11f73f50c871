using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>docker rmi with only a yes/no answer about containers (conflict messages then name no container).</summary>
    public IReadOnlyList<ImageDeleteAction> Remove(string nameOrId, bool force, Func<Digest, bool> isContainerUsing) =>
        Remove(nameOrId, force, id => isContainerUsing(id) ? new ContainerUsingImage("", Running: false) : null);

    /// <summary>docker rmi. A name only untags that name, deleting the image when it was the last name and no
    /// container needs it (with a container: conflict, or with force the image stays as dangling while a running
    /// container holds it). An id deletes the image with all its names: refused without force when several names
    /// point at it or a stopped container uses it, and always refused while a running container uses it.
    /// Layers still held by a container are kept.</summary>
    public IReadOnlyList<ImageDeleteAction> Remove(string nameOrId, bool force, Func<Digest, ContainerUsingImage?> findContainer)
    {
        var actions = new List<ImageDeleteAction>();
        var events = new List<(string Action, Digest Id)>();
        lock (_gate)
        {
            if (!TryResolveId(nameOrId, out var id)) throw EngineException.NoSuchImage(MissingName(nameOrId));
            var tags = _metadata.TagsOf(id);
            var container = findContainer(id);
            var shortId = id.Hex[..12];
            var byId = id.Value.StartsWith(nameOrId, StringComparison.Ordinal) || id.Hex.StartsWith(nameOrId, StringComparison.Ordinal);

            if (!byId)
            {
                if (!force && tags.Count == 1 && container is not null)
                {
                    // Removing the last name would leave a dangling image under a container: make the user say so.
                    throw EngineException.Conflict(
                        $"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {ShortContainer(container)} is using its referenced image {shortId}");
                }
                var name = ImageReference.Parse(nameOrId).FamiliarString;
                _metadata.RemoveTag(name);
                actions.Add(ImageDeleteAction.Untag(name));
                events.Add(("untag", id));
                if (tags.Count > 1 || container is { Running: true }) return Finish(actions, events);
            }
            else
            {
                if (tags.Count > 1 && !force)
                {
                    throw EngineException.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories");
                }
                if (container is { Running: true })
                {
                    throw EngineException.Conflict($"conflict: unable to delete {shortId} (cannot be forced) - image is being used by running container {ShortContainer(container)}");
                }
                if (container is not null && !force)
                {
                    throw EngineException.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is being used by stopped container {ShortContainer(container)}");
                }
                foreach (var tag in tags)
                {
                    _metadata.RemoveTag(tag);
                    actions.Add(ImageDeleteAction.Untag(tag));
                    events.Add(("untag", id));
                }
            }

            var parent = _metadata.TryGet(id, out var removed) ? removed.Parent : null;
            DeleteImageLocked(id, keepLayers: container is not null, actions);
            events.Add(("delete", id));
            DeleteUnusedParentsLocked(parent, findContainer, actions, events);
        }
        return Finish(actions, events);
    }

    /// <summary>Docker's rmi prunes the untagged build parents the removed image left without a child (the
    /// legacy builder's intermediate images), walking up until a parent is tagged, shared or in use.</summary>
    private void DeleteUnusedParentsLocked(string? parent, Func<Digest, ContainerUsingImage?> findContainer,
        List<ImageDeleteAction> actions, List<(string Action, Digest Id)> events)
    {
        while (parent is not null && Digest.TryParse(parent, out var parentId) && _metadata.TryGet(parentId, out var document)
               && _metadata.TagsOf(parentId).Count == 0 && !HasChildrenLocked(parentId) && findContainer(parentId) is null)
        {
            DeleteImageLocked(parentId, keepLayers: false, actions);
            events.Add(("delete", parentId));
            parent = document.Parent;
        }
    }

    private List<ImageDeleteAction> Finish(List<ImageDeleteAction> actions, List<(string Action, Digest Id)> events)
    {
        foreach (var (action, id) in events) Raise(action, id, null);
        return actions;
    }

    private void DeleteImageLocked(Digest id, bool keepLayers, List<ImageDeleteAction> actions)
    {
        var diffIds = ToRecord(id).DiffIds;
        _metadata.Delete(id);
        Content.Delete(id);
        actions.Add(ImageDeleteAction.Delete(id.Value));
        if (keepLayers) return;

        var chainsInUse = new HashSet<Digest>();
        var diffIdsInUse = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in _metadata.Images)
        {
            foreach (var diffId in other.Config.RootFs.DiffIds) diffIdsInUse.Add(diffId);
            chainsInUse.UnionWith(ChainId.Compute(other.Config.RootFs.DiffIds.Select(Digest.Parse).ToList()));
        }
        var chain = ChainId.Compute(diffIds);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chainsInUse.Contains(chain[i])) continue;
            _snapshots.RemoveLayer(chain[i]);
            actions.Add(ImageDeleteAction.Delete(chain[i].Value));
        }
        foreach (var diffId in diffIds)
        {
            if (!diffIdsInUse.Contains(diffId.Value)) Content.Delete(diffId);
        }
    }

    private static string ShortContainer(ContainerUsingImage container) =>
        container.ContainerId.Length > 12 ? container.ContainerId[..12] : container.ContainerId;
}

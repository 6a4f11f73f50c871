using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ImageRemoveTests : IDisposable
{
    private static readonly Func<Digest, bool> NoContainers = _ => false;
    private readonly ImageServiceHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Remove_OneOfSeveralTags_OnlyUntags()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "app:1");
        _h.Service.Tag("app:1", "app", "2");

        var actions = _h.Service.Remove("app:2", force: false, NoContainers);

        Assert.Equal([ImageDeleteAction.Untag("app:2")], actions);
        Assert.Equal(["app:1"], _h.Service.Resolve(image.Id.Value).RepoTags);
    }

    [Fact]
    public async Task Remove_LastTag_UntagsDeletesImageLayerAndContent()
    {
        var tar = TarBuilder.SmallRootfs();
        var image = await _h.ImportAsync(tar, "app");
        var layer = Digest.Compute(tar);

        var actions = _h.Service.Remove("app", force: false, NoContainers);

        Assert.Equal([ImageDeleteAction.Untag("app:latest"), ImageDeleteAction.Delete(image.Id.Value), ImageDeleteAction.Delete(layer.Value)], actions);
        Assert.False(_h.Service.TryResolve(image.Id.Value, out _));
        Assert.Empty(_h.Entries("content", "blobs", "sha256"));
        Assert.Empty(_h.Entries("image", "db"));
        Assert.False(new OverlaySnapshotter(_h.Root.Path).HasLayer(layer));
        Assert.Equal(["import", "tag", "untag", "delete"], _h.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task Remove_ById_SharedLayerKeptForOtherImage()
    {
        var tar = TarBuilder.SmallRootfs();
        var first = await _h.ImportAsync(tar);
        _h.Clock.Now = _h.Clock.Now.AddSeconds(1);
        var second = await _h.ImportAsync(tar);

        var actions = _h.Service.Remove(first.Id.Hex[..12], force: false, NoContainers);

        Assert.Equal([ImageDeleteAction.Delete(first.Id.Value)], actions);
        Assert.True(_h.Service.Content.Exists(Digest.Compute(tar)));
        Assert.True(new OverlaySnapshotter(_h.Root.Path).HasLayer(Digest.Compute(tar)));
        Assert.Equal(second.Id, _h.Service.Resolve(second.Id.Value).Id);
    }

    [Fact]
    public async Task Remove_IdWithSeveralTagsWithoutForce_Conflict()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "a");
        _h.Service.Tag("a", "b", null);

        var error = Assert.Throws<EngineException>(() => _h.Service.Remove(image.Id.Value, force: false, NoContainers));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is referenced in multiple repositories", error.Message);
        Assert.Equal(["a:latest", "b:latest"], _h.Service.Resolve(image.Id.Value).RepoTags);
    }

    [Fact]
    public async Task Remove_IdWithSeveralTagsForced_UntagsAllThenDeletes()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "a");
        _h.Service.Tag("a", "b", null);

        var actions = _h.Service.Remove(image.Id.Hex, force: true, NoContainers);

        Assert.Equal([ImageDeleteAction.Untag("a:latest"), ImageDeleteAction.Untag("b:latest"), ImageDeleteAction.Delete(image.Id.Value)], actions.Take(3));
        Assert.Empty(_h.Service.List());
    }

    [Fact]
    public async Task Remove_IdUsedByStoppedContainer_ConflictUnlessForcedAndLayersKept()
    {
        var tar = TarBuilder.SmallRootfs();
        var image = await _h.ImportAsync(tar, "app");
        var container = new ContainerUsingImage("0123456789abcdef0123", Running: false);

        var error = Assert.Throws<EngineException>(() => _h.Service.Remove(image.Id.Value, force: false, _ => container));
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is being used by stopped container 0123456789ab", error.Message);

        var actions = _h.Service.Remove(image.Id.Value, force: true, _ => container);

        Assert.Equal([ImageDeleteAction.Untag("app:latest"), ImageDeleteAction.Delete(image.Id.Value)], actions);
        Assert.True(new OverlaySnapshotter(_h.Root.Path).HasLayer(Digest.Compute(tar)));
    }

    [Fact]
    public async Task Remove_IdUsedByRunningContainer_ConflictEvenForced()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs());
        var running = new ContainerUsingImage("feedfacefeedface", Running: true);

        var error = Assert.Throws<EngineException>(() => _h.Service.Remove(image.Id.Value, force: true, _ => running));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (cannot be forced) - image is being used by running container feedfacefeed", error.Message);
    }

    [Fact]
    public async Task Remove_LastTagUsedByContainer_ConflictWithoutForce()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "app");

        var error = Assert.Throws<EngineException>(() => _h.Service.Remove("app", force: false, id => id == image.Id));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.StartsWith("conflict: unable to remove repository reference \"app\" (must force)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["app:latest"], _h.Service.Resolve("app").RepoTags);
    }

    [Fact]
    public async Task Remove_LastTagUsedByRunningContainerForced_UntagsButKeepsImage()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "app");

        var actions = _h.Service.Remove("app", force: true, _ => new ContainerUsingImage("c1", Running: true));

        Assert.Equal([ImageDeleteAction.Untag("app:latest")], actions);
        Assert.Empty(_h.Service.Resolve(image.Id.Value).RepoTags);
    }

    [Fact]
    public void Remove_Missing_NotFound()
    {
        var error = Assert.Throws<EngineException>(() => _h.Service.Remove("nothing:here", force: true, NoContainers));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("No such image: nothing:here", error.Message);
    }

    [Fact]
    public async Task Remove_ThenRestart_StaysRemoved()
    {
        await _h.ImportAsync(TarBuilder.SmallRootfs(), "keep");
        _h.Clock.Now = _h.Clock.Now.AddSeconds(1);
        await _h.ImportAsync(TarBuilder.SmallRootfs("x"), "drop");
        _h.Service.Remove("drop", force: false, NoContainers);

        var reopened = _h.Reopen();

        Assert.False(reopened.TryResolve("drop", out _));
        Assert.Equal(["keep:latest"], Assert.Single(reopened.List()).RepoTags);
    }
}

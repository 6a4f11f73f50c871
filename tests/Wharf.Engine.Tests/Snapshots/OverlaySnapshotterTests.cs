using System.Text;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Content;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Snapshots;

public sealed class OverlaySnapshotterTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ImageRecord StoreImage(params byte[][] layers)
    {
        var content = new ContentStore(_dir.Path);
        var diffIds = layers.Select(l => content.Write(l).Value).ToList();
        var config = new ImageConfig { RootFs = new RootFs { DiffIds = diffIds } };
        return new ImageRecord(Digest.Compute("config"u8), config, [], 0, DateTimeOffset.UnixEpoch, null);
    }

    [Fact]
    public void ChainId_Compute_FollowsOciDefinition()
    {
        var d0 = Digest.Compute("zero"u8);
        var d1 = Digest.Compute("one"u8);
        var d2 = Digest.Compute("two"u8);

        var chain = ChainId.Compute([d0, d1, d2]);

        var c1 = Digest.Compute(Encoding.ASCII.GetBytes(d0.Value + " " + d1.Value));
        Assert.Equal([d0, c1, Digest.Compute(Encoding.ASCII.GetBytes(c1.Value + " " + d2.Value))], chain);
    }

    [Fact]
    public void PrepareContainerLayer_TwoLayers_LowerdirTopFirstAndDirectoriesCreated()
    {
        var image = StoreImage(new TarBuilder().File("base", "0").Build(), new TarBuilder().File("top", "1").Build());
        var snapshots = new OverlaySnapshotter(_dir.Path);
        var chain = ChainId.Compute(image.DiffIds);

        var mount = snapshots.PrepareContainerLayer("c1", image, "/run/wharf/c1/rootfs");

        Assert.Equal("overlay", mount.Type);
        Assert.Equal("overlay", mount.Source);
        Assert.Equal("/run/wharf/c1/rootfs", mount.Target);
        var upper = _dir.Combine("snapshots", "containers", "c1", "upper");
        var work = _dir.Combine("snapshots", "containers", "c1", "work");
        Assert.Equal(
            [$"lowerdir={snapshots.LayerPath(chain[1])}:{snapshots.LayerPath(chain[0])}", $"upperdir={upper}", $"workdir={work}"],
            mount.Options);
        Assert.Equal(_dir.Combine("snapshots", chain[1].Hex, "fs"), snapshots.LayerPath(chain[1]));
        Assert.True(File.Exists(Path.Combine(snapshots.LayerPath(chain[0]), "base")));
        Assert.True(File.Exists(Path.Combine(snapshots.LayerPath(chain[1]), "top")));
        Assert.False(File.Exists(Path.Combine(snapshots.LayerPath(chain[1]), "base")));
        Assert.True(Directory.Exists(upper));
        Assert.True(Directory.Exists(work));
        Assert.Equal(upper, snapshots.UpperPath("c1"));
    }

    [Fact]
    public void PrepareContainerLayer_SingleLayer_StillOverlayWithOneLowerdir()
    {
        var image = StoreImage(TarBuilder.SmallRootfs());
        var snapshots = new OverlaySnapshotter(_dir.Path);

        var mount = snapshots.PrepareContainerLayer("c2", image, "/t");

        Assert.Equal("lowerdir=" + snapshots.LayerPath(image.DiffIds[0]), mount.Options[0]);
        Assert.Equal([image.DiffIds[0]], snapshots.ListLayers());
    }

    [Fact]
    public void RemoveContainerLayer_Twice_RemovesOnceAndIsIdempotent()
    {
        var image = StoreImage(TarBuilder.SmallRootfs());
        var snapshots = new OverlaySnapshotter(_dir.Path);
        snapshots.PrepareContainerLayer("c3", image, "/t");
        File.WriteAllText(Path.Combine(snapshots.UpperPath("c3"), "written"), "by container");

        snapshots.RemoveContainerLayer("c3");
        snapshots.RemoveContainerLayer("c3");

        Assert.False(Directory.Exists(_dir.Combine("snapshots", "containers", "c3")));
        Assert.True(snapshots.HasLayer(image.DiffIds[0]));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("")]
    public void PrepareContainerLayer_BadKey_InvalidArgument(string key)
    {
        var image = StoreImage(TarBuilder.SmallRootfs());

        var error = Assert.Throws<EngineException>(() => new OverlaySnapshotter(_dir.Path).PrepareContainerLayer(key, image, "/t"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void EnsureLayers_BlobMissing_NotFound()
    {
        var error = Assert.Throws<EngineException>(() => new OverlaySnapshotter(_dir.Path).EnsureLayers([Digest.Compute("nothing"u8)]));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void EnsureLayers_TamperedBlob_RejectedAndNoSnapshotLeft()
    {
        var image = StoreImage(TarBuilder.SmallRootfs());
        var content = new ContentStore(_dir.Path);
        File.WriteAllBytes(content.BlobPath(image.DiffIds[0]), TarBuilder.SmallRootfs("tampered"));
        var snapshots = new OverlaySnapshotter(_dir.Path);

        var error = Assert.Throws<EngineException>(() => snapshots.EnsureLayers(image.DiffIds));

        Assert.Contains("does not match diff id", error.Message, StringComparison.Ordinal);
        Assert.Equal(["containers"], Directory.GetFileSystemEntries(_dir.Combine("snapshots")).Select(p => Path.GetFileName(p)));
    }

    [Fact]
    public void Constructor_LeftoverTemporaryExtraction_Removed()
    {
        Directory.CreateDirectory(_dir.Combine("snapshots", ".tmp-crashed", "fs", "x"));

        _ = new OverlaySnapshotter(_dir.Path);

        Assert.False(Directory.Exists(_dir.Combine("snapshots", ".tmp-crashed")));
    }
}

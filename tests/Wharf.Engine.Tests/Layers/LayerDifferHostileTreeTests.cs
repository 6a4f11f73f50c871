using Wharf.Engine.Layers;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Layers;

/// <summary>docker diff reads a running container's writable layer (which the container changes while it is
/// walked) and the image's layers (which an image fills with whatever links it likes): neither leads the walk to a
/// host directory. The race is made deterministic here: the directory is swapped for a link at the moment the walk
/// has seen it as a directory and is about to descend.</summary>
public sealed class LayerDifferHostileTreeTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-differ-hostile");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Changes_DirectorySwappedForALinkToTheHostMidWalk_ListsNoHostName()
    {
        var host = Directory.CreateDirectory(_dir.Combine("host")).FullName;
        File.WriteAllText(Path.Combine(host, "host-only-marker"), "secret");
        var upper = Directory.CreateDirectory(_dir.Combine("upper")).FullName;
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        File.WriteAllText(Path.Combine(upper, "d", "inside"), "x");
        var lower = Directory.CreateDirectory(_dir.Combine("lower")).FullName;
        var swapping = new SwappingInspector(Path.Combine(upper, "d"), host);

        var changes = new LayerDiffer(swapping).Changes(upper, [lower]);

        Assert.True(swapping.Swapped);
        Assert.DoesNotContain(changes, c => c.Path.Contains("host-only-marker", StringComparison.Ordinal));
        Assert.Equal([("/d", ChangeKind.Added)], changes.Select(c => (c.Path, c.Kind)).ToArray());
    }

    [Fact]
    public void Changes_ImageLayerLinkToAHostDirectory_IsNotFollowedToClassifyANameBelowIt()
    {
        // The image made /a a link to a host directory; the container made /a a directory holding "present", a name
        // that also exists in the host directory. The lower layer has nothing under /a: "present" is added, and
        // whether the host has such a file must not show.
        var host = Directory.CreateDirectory(_dir.Combine("host2")).FullName;
        File.WriteAllText(Path.Combine(host, "present"), "host");
        var lower = Directory.CreateDirectory(_dir.Combine("lower2")).FullName;
        File.CreateSymbolicLink(Path.Combine(lower, "a"), host);
        var upper = Directory.CreateDirectory(_dir.Combine("upper2")).FullName;
        Directory.CreateDirectory(Path.Combine(upper, "a"));
        File.WriteAllText(Path.Combine(upper, "a", "present"), "mine");

        var changes = new LayerDiffer(new ManagedFileInspector()).Changes(upper, [lower]);

        Assert.Equal([("/a", ChangeKind.Modified), ("/a/present", ChangeKind.Added)], changes.Select(c => (c.Path, c.Kind)).ToArray());
    }

    [Fact]
    public void Changes_ATreeNestedDeeperThanTheWalkGoes_IsRefusedWithoutEndingTheProcess()
    {
        var upper = Directory.CreateDirectory(_dir.Combine("upper3")).FullName;
        var lower = Directory.CreateDirectory(_dir.Combine("lower3")).FullName;
        var path = upper;
        for (var level = 0; level <= LayerDiffer.MaxDepth + 10; level++) path = Directory.CreateDirectory(Path.Combine(path, "d")).FullName;

        var error = Assert.Throws<Wharf.Core.Errors.EngineException>(() => new LayerDiffer(new ManagedFileInspector()).Changes(upper, [lower]));

        Assert.Contains($"nested more than {LayerDiffer.MaxDepth} levels deep", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The managed inspector, except that the first lstat of <paramref name="victim"/> (which finds a
    /// directory) is followed, before the walk goes on, by what a running container can do at that moment: the
    /// directory moves aside and a symlink to <paramref name="hostTarget"/> takes its name.</summary>
    private sealed class SwappingInspector(string victim, string hostTarget) : IFileInspector
    {
        private readonly ManagedFileInspector _inner = new();

        public bool Swapped { get; private set; }

        public FileStat? LStat(string path)
        {
            var stat = _inner.LStat(path);
            if (!Swapped && path == victim && stat is { IsDirectory: true })
            {
                Directory.Move(victim, victim + ".aside");
                File.CreateSymbolicLink(victim, hostTarget);
                Swapped = true;
            }
            return stat;
        }

        public IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path) => _inner.ListXattrs(path);

        public DirectoryPin? PinDirectory(string path) => _inner.PinDirectory(path);
    }
}

using System.Formats.Tar;
using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>The hostile layer cases of issue 4 that LayerApplierTests does not name one by one: a hard link straight
/// to a path outside (relative or absolute), and a device node where the extraction may not create one (build
/// contexts and ADD archives are unpacked without mknod).</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();
    private readonly string _root;
    private readonly string _outside;

    public HostileArchiveTests()
    {
        _root = _dir.Combine("root");
        _outside = _dir.Combine("outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "key"), "secret");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Apply_HardLinkToRelativeOutside_RejectedAndNoLink()
    {
        var error = Assert.Throws<EngineException>(() => Apply(new TarBuilder().HardLink("stolen", "../outside/key")));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.False(File.Exists(Path.Combine(_root, "stolen")));
    }

    [Fact]
    public void Apply_HardLinkToAbsoluteHostPath_NeverLinksTheHostFile()
    {
        try
        {
            Apply(new TarBuilder().HardLink("stolen", Path.Combine(_outside, "key")));
        }
        catch (EngineException)
        {
            // Refusing is fine too; what matters is below.
        }

        var stolen = new FileInfo(Path.Combine(_root, "stolen"));
        Assert.False(stolen.Exists && File.ReadAllText(stolen.FullName) == "secret", "the host file was linked into the layer");
        Assert.Equal("secret", File.ReadAllText(Path.Combine(_outside, "key")));
    }

    [Fact]
    public void Apply_DeviceNodeWithoutMknod_NotCreatedAndCounted()
    {
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null-ish") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1B6 };

        var result = Apply(new TarBuilder().Directory("dev/").Add(device));

        Assert.Equal(1, result.SkippedEntries);
        Assert.False(File.Exists(Path.Combine(_root, "dev", "null-ish")));
    }

    private LayerApplyResult Apply(TarBuilder builder) =>
        new LayerApplier(new ManagedFileSystemOps()).Apply(new MemoryStream(builder.Build()), _root, hasParent: false);
}

using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Snapshots;
using Wharf.Linux.Files;

namespace Wharf.EndToEnd.Tests;

/// <summary>Docker's copy-up writes an image directory into an empty volume, and another running container may use
/// that volume: between the daemon's "is it empty" and its writes, that container can put a link to the host where
/// the copy is about to write. The copy runs confined to the volume (the real kernel confinement, as wharfd uses it),
/// so such a link leads back inside the volume. The race's outcome is set up here directly: the link is already there.</summary>
public sealed class CopyUpConfinementTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("wharf-copyup-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task CopyUp_IntoAVolumeWhoseDirectoryIsALinkToTheHost_NeverWritesTheHost()
    {
        var image = Directory.CreateDirectory(Path.Combine(_work, "image-etc")).FullName;
        Directory.CreateDirectory(Path.Combine(image, "conf.d"));
        await File.WriteAllTextAsync(Path.Combine(image, "conf.d", "planted"), "from the image");
        await File.WriteAllTextAsync(Path.Combine(image, "top"), "from the image");
        var host = Directory.CreateDirectory(Path.Combine(_work, "host-dir")).FullName;
        var volume = Directory.CreateDirectory(Path.Combine(_work, "volume")).FullName;
        // What the other container made: conf.d, in the volume, is an absolute link to a host directory.
        File.CreateSymbolicLink(Path.Combine(volume, "conf.d"), host);

        var refused = false;
        try
        {
            await TreeCopier.CopyAsync(image, new ThreadRootConfinement(), volume, new ManagedFileSystemOps());
        }
        catch (Exception e) when (e is IOException or Wharf.Core.Errors.EngineException)
        {
            // The applier refuses to write through a linked parent: as good as writing inside, the host is untouched.
            refused = true;
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(host));
        Assert.True(refused || File.Exists(Path.Combine(volume, "top")), "the copy neither refused nor wrote into the volume");
    }
}

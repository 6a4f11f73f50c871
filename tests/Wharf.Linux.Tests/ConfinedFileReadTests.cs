using Wharf.Core.Host;
using Wharf.Linux.Files;

namespace Wharf.Linux.Tests;

/// <summary>Privileged: ThreadRootConfinement.ReadFileAsync, the daemon's read of a container's /etc/passwd and
/// /etc/group. Links resolve inside the root (never to the host's file), a FIFO or device node is never opened
/// (a FIFO's open would block the daemon; a device's open acts on the host's device), and the size is bounded.</summary>
public sealed class ConfinedFileReadTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly ThreadRootConfinement _confinement = new();
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public ConfinedFileReadTests()
    {
        _root = Directory.CreateDirectory(_temp.Combine("root")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
    }

    public void Dispose() => _temp.Dispose();

    private string Etc(string name) => Path.Combine(_root, "etc", name);

    [Fact]
    public async Task RegularFile_IsReadWhole()
    {
        await File.WriteAllTextAsync(Etc("passwd"), "app:x:1000:1000::/home/app:/bin/sh\n");

        var file = await ReadAsync("/etc/passwd");

        Assert.Equal(RootFileState.Regular, file.State);
        Assert.Equal("app:x:1000:1000::/home/app:/bin/sh\n", System.Text.Encoding.UTF8.GetString(file.Content));
    }

    [Fact]
    public async Task AbsoluteLinkToAHostFile_ReadsTheRootsOwnFileAtThatPath()
    {
        var hostFile = _temp.Combine("host-passwd");
        await File.WriteAllTextAsync(hostFile, "hostonly:x:4242:4242::/:/bin/sh\n");
        File.CreateSymbolicLink(Etc("passwd"), hostFile);

        Assert.Equal(RootFileState.Missing, (await ReadAsync("/etc/passwd")).State);

        var inside = _root + hostFile;
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        await File.WriteAllTextAsync(inside, "insider:x:77:88::/:/bin/sh\n");
        Assert.Equal("insider:x:77:88::/:/bin/sh\n", System.Text.Encoding.UTF8.GetString((await ReadAsync("/etc/passwd")).Content));
    }

    [Fact]
    public async Task RelativeLinkUpAndOut_StopsAtTheRoot()
    {
        var hostFile = _temp.Combine("outside");
        await File.WriteAllTextAsync(hostFile, "hostonly:x:1:1::/:/bin/sh\n");
        File.CreateSymbolicLink(Etc("group"), "../../../../../../../.." + hostFile);

        Assert.Equal(RootFileState.Missing, (await ReadAsync("/etc/group")).State);
    }

    [Fact]
    public async Task Fifo_IsNotOpened_AndAnswersAtOnce()
    {
        FileMetadata.Mknod(Etc("passwd"), 'p', (UnixFileMode)0b110_100_100, 0, 0);

        var read = ReadAsync("/etc/passwd");
        var finished = await Task.WhenAny(read, Task.Delay(Patience));

        Assert.True(finished == read, "the read is blocked on the FIFO");
        Assert.Equal(RootFileState.NotRegular, (await read).State);
    }

    [Fact]
    public async Task DeviceNodeAndDirectory_AreNotRegular()
    {
        FileMetadata.Mknod(Etc("passwd"), 'c', (UnixFileMode)0b110_110_110, 1, 5); // /dev/zero: endless if read
        Directory.CreateDirectory(Etc("group"));

        Assert.Equal(RootFileState.NotRegular, (await ReadAsync("/etc/passwd")).State);
        Assert.Equal(RootFileState.NotRegular, (await ReadAsync("/etc/group")).State);
    }

    [Fact]
    public async Task MissingFileOrParent_IsMissing()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "file"), "x");

        Assert.Equal(RootFileState.Missing, (await ReadAsync("/etc/passwd")).State);
        Assert.Equal(RootFileState.Missing, (await ReadAsync("/file/passwd")).State);
    }

    [Fact]
    public async Task LargerThanTheBound_IsTooLargeAndNotRead()
    {
        await File.WriteAllTextAsync(Etc("passwd"), new string('x', 101));
        await File.WriteAllTextAsync(Etc("group"), new string('x', 100));

        Assert.Equal(RootFileState.TooLarge, (await _confinement.ReadFileAsync(_root, "/etc/passwd", 100)).State);
        Assert.Equal(100, (await _confinement.ReadFileAsync(_root, "/etc/group", 100)).Content.Length);
    }

    [Fact]
    public async Task PinnedDirectory_SwappedForALink_KeepsNamingTheDirectoryAndALinkDoesNotPin()
    {
        var host = Directory.CreateDirectory(_temp.Combine("host")).FullName;
        await File.WriteAllTextAsync(Path.Combine(host, "host-only"), "x");
        var d = Directory.CreateDirectory(Path.Combine(_root, "d")).FullName;
        await File.WriteAllTextAsync(Path.Combine(d, "inside"), "x");

        using (var pin = PinnedDirectory.Open(d))
        {
            Assert.NotNull(pin);
            Directory.Move(d, d + ".aside");
            File.CreateSymbolicLink(d, host);
            Assert.Equal(["inside"], Directory.EnumerateFileSystemEntries(pin.Path).Select(Path.GetFileName));
        }

        Assert.Null(PinnedDirectory.Open(d)); // now a link to a directory
        Assert.Null(PinnedDirectory.Open(Path.Combine(d + ".aside", "inside"))); // a file
        Assert.Null(PinnedDirectory.Open(Path.Combine(_root, "nothing")));
    }

    private Task<RootFile> ReadAsync(string path) => _confinement.ReadFileAsync(_root, path, 4096);
}

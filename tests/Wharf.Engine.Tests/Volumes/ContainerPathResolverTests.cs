using Xunit;
using Wharf.Engine.Containers.Archive;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Volumes;

public sealed class ContainerPathResolverTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-resolve");
    private readonly string _root;

    public ContainerPathResolverTests()
    {
        _root = _temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "data", "sub"));
        File.WriteAllText(Path.Combine(_root, "etc", "passwd"), "inside");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("/etc/passwd", "/etc/passwd")]
    [InlineData("etc/passwd", "/etc/passwd")]
    [InlineData("/../../../etc/passwd", "/etc/passwd")]
    [InlineData("/data/sub/../../etc/./passwd", "/etc/passwd")]
    [InlineData("/", "/")]
    public void Resolve_DotDot_StopsAtTheRoot(string path, string expected)
    {
        var (host, inner) = ContainerPathResolver.Resolve(_root, path, followFinal: true);
        Assert.Equal(expected, inner);
        Assert.Equal(expected == "/" ? _root : _root + expected, host);
    }

    [Fact]
    public void Resolve_AbsoluteSymlink_IsResolvedAgainstTheRoot()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "evil"), "/etc");
        var (host, inner) = ContainerPathResolver.Resolve(_root, "/evil/passwd", followFinal: true);
        Assert.Equal("/etc/passwd", inner);
        Assert.Equal(Path.Combine(_root, "etc", "passwd"), host);
        Assert.Equal("inside", File.ReadAllText(host));
    }

    [Fact]
    public void Resolve_RelativeSymlinkClimbingOut_StaysInside()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "data", "up"), "../../../../../../" + _temp.Path.TrimStart('/'));
        var (host, inner) = ContainerPathResolver.Resolve(_root, "/data/up/x", followFinal: true);
        Assert.Equal(_temp.Path + "/x", inner);
        Assert.StartsWith(_root + "/", host);
    }

    [Fact]
    public void Resolve_FinalSymlink_IsKeptUnlessFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "etc/passwd");
        Assert.Equal("/link", ContainerPathResolver.Resolve(_root, "/link", followFinal: false).ContainerPath);
        Assert.Equal("/etc/passwd", ContainerPathResolver.Resolve(_root, "/link", followFinal: true).ContainerPath);
    }

    [Fact]
    public void Resolve_SymlinkLoop_IsRejected()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "/a");
        var error = Assert.Throws<Wharf.Core.Errors.EngineException>(() => ContainerPathResolver.Resolve(_root, "/a/x", followFinal: true));
        Assert.Contains("too many levels of symbolic links", error.Message);
    }
}

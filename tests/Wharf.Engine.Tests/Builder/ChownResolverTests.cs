using Wharf.Core.Errors;
using Wharf.Engine.Builder;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

public sealed class ChownResolverTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();
    private readonly string _lower;
    private readonly string _upper;

    public ChownResolverTests()
    {
        _lower = _dir.Combine("lower");
        _upper = _dir.Combine("upper");
        Directory.CreateDirectory(Path.Combine(_lower, "etc"));
        Directory.CreateDirectory(Path.Combine(_upper, "etc"));
        File.WriteAllText(Path.Combine(_lower, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\nold:x:5:5::/:/bin/sh\n");
        File.WriteAllText(Path.Combine(_upper, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(_lower, "etc", "group"), "root:x:0:\nextra:x:3456:app\n");
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("app", 1234, 2345)]
    [InlineData("app:extra", 1234, 3456)]
    [InlineData("app:7", 1234, 7)]
    [InlineData("10:extra", 10, 3456)]
    [InlineData("42", 42, 42)]
    public void Resolve_NamesFromTheTopmostLayerThatHasTheFile(string chown, int uid, int gid)
    {
        Assert.Equal((uid, gid), ChownResolver.Resolve(chown, [_upper, _lower]));
    }

    [Fact]
    public void Resolve_UnknownNames_DockersError()
    {
        // "old" exists only in the lower passwd, which the upper one hides.
        var user = Assert.Throws<EngineException>(() => ChownResolver.Resolve("old", [_upper, _lower]));
        Assert.Contains("can't find uid for user old: no such user: old", user.Message, StringComparison.Ordinal);
        var group = Assert.Throws<EngineException>(() => ChownResolver.Resolve("app:nogroup", [_upper, _lower]));
        Assert.Contains("no such group: nogroup", group.Message, StringComparison.Ordinal);
    }
}

using Wharf.Engine.Builder;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

public sealed class ContextWalkerTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Entries_SymlinkToDirectory_ListedButNotEntered()
    {
        var context = _dir.Combine("ctx");
        var outside = _dir.Combine("outside");
        Directory.CreateDirectory(Path.Combine(context, "sub"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "host-secret"), "x");
        File.WriteAllText(Path.Combine(context, "sub", "b"), "b");
        File.CreateSymbolicLink(Path.Combine(context, "link"), outside);

        var entries = ContextWalker.Entries(context).Select(e => Path.GetRelativePath(context, e)).ToList();

        Assert.Equal(["link", "sub", "sub/b"], entries);
    }
}

using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ImageResolveTests : IDisposable
{
    private readonly ImageServiceHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("busybox")]
    [InlineData("busybox:latest")]
    [InlineData("docker.io/library/busybox")]
    [InlineData("docker.io/library/busybox:latest")]
    [InlineData("index.docker.io/library/busybox:latest")]
    public async Task Resolve_NameForms_FindTaggedImage(string name)
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "busybox:latest");

        Assert.Equal(image.Id, _h.Service.Resolve(name).Id);
    }

    [Fact]
    public async Task Resolve_IdForms_FindImage()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs());

        Assert.Equal(image.Id, _h.Service.Resolve(image.Id.Value).Id);
        Assert.Equal(image.Id, _h.Service.Resolve(image.Id.Hex).Id);
        Assert.Equal(image.Id, _h.Service.Resolve(image.Id.Hex[..12]).Id);
        Assert.Equal(image.Id, _h.Service.Resolve("sha256:" + image.Id.Hex[..5]).Id);
        Assert.Equal(image.Id, _h.Service.Resolve(image.Id.Hex[..1]).Id);
    }

    [Fact]
    public async Task Resolve_OtherTag_NotFoundWithDockerWording()
    {
        await _h.ImportAsync(TarBuilder.SmallRootfs(), "busybox:1");

        var error = Assert.Throws<EngineException>(() => _h.Service.Resolve("busybox"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("No such image: busybox:latest", error.Message);
        Assert.False(_h.Service.TryResolve("busybox:2", out _));
    }

    [Fact]
    public void Resolve_UnknownId_NotFoundNamingInput()
    {
        var id = "sha256:" + new string('e', 64);

        var error = Assert.Throws<EngineException>(() => _h.Service.Resolve(id));

        Assert.Equal("No such image: " + id, error.Message);
    }

    [Fact]
    public async Task Resolve_AmbiguousPrefix_NotFound()
    {
        // 17 distinct ids must contain two with the same first hex digit (pigeonhole).
        var images = new List<ImageRecord>();
        for (var i = 0; i < 17; i++)
        {
            _h.Clock.Now = ImageServiceHarness.Epoch.AddSeconds(i);
            images.Add(await _h.ImportAsync(TarBuilder.SmallRootfs()));
        }
        var first = images.GroupBy(i => i.Id.Hex[0]).First(g => g.Count() > 1).First();
        var unique = 1;
        while (images.Any(i => i.Id != first.Id && i.Id.Hex.StartsWith(first.Id.Hex[..unique], StringComparison.Ordinal))) unique++;

        Assert.False(_h.Service.TryResolve(first.Id.Hex[..(unique - 1)], out _));
        var error = Assert.Throws<EngineException>(() => _h.Service.Resolve("sha256:" + first.Id.Hex[..(unique - 1)]));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal(first.Id, _h.Service.Resolve(first.Id.Hex[..unique]).Id);
    }

    [Fact]
    public async Task Resolve_TagNamedLikeIdPrefix_PrefersTheName()
    {
        var tagged = await _h.ImportAsync(TarBuilder.SmallRootfs("one"));
        _h.Clock.Now = _h.Clock.Now.AddSeconds(1);
        var other = await _h.ImportAsync(TarBuilder.SmallRootfs("two"));
        var prefix = other.Id.Hex[..4];
        _h.Service.Tag(tagged.Id.Value, prefix, null);

        Assert.Equal(tagged.Id, _h.Service.Resolve(prefix).Id);
    }

    [Fact]
    public async Task List_AllImages_WithTheirTags()
    {
        var a = await _h.ImportAsync(TarBuilder.SmallRootfs("a"), "a");
        _h.Clock.Now = _h.Clock.Now.AddMinutes(1);
        var b = await _h.ImportAsync(TarBuilder.SmallRootfs("b"));

        var list = _h.Service.List();

        Assert.Equal([b.Id, a.Id], list.Select(i => i.Id));
        Assert.Equal(["a:latest"], list[1].RepoTags);
        Assert.Empty(list[0].RepoTags);
    }

    [Fact]
    public async Task Tag_ExistingName_MovesToNewImage()
    {
        var old = await _h.ImportAsync(TarBuilder.SmallRootfs("old"), "app");
        _h.Clock.Now = _h.Clock.Now.AddSeconds(5);
        var fresh = await _h.ImportAsync(TarBuilder.SmallRootfs("new"));

        _h.Service.Tag(fresh.Id.Hex[..12], "docker.io/library/app", "latest");

        Assert.Equal(fresh.Id, _h.Service.Resolve("app").Id);
        Assert.Empty(_h.Service.Resolve(old.Id.Value).RepoTags);
        var moved = _h.Service.Resolve("app");
        Assert.Equal(["app:latest"], moved.RepoTags);
        Assert.Equal(_h.Clock.Now, moved.LastTagTime);
        Assert.Equal(("tag", fresh.Id.Value, "app:latest"), (_h.Events[^1].Action, _h.Events[^1].Id, _h.Events[^1].Attributes["name"]));
    }

    [Fact]
    public async Task Tag_InvalidRepo_InvalidArgument()
    {
        await _h.ImportAsync(TarBuilder.SmallRootfs(), "app");

        var error = Assert.Throws<EngineException>(() => _h.Service.Tag("app", "Upper", null));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Throws<EngineException>(() => _h.Service.Tag("missing", "x", null));
    }
}

using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ImageReferenceTests
{
    [Fact]
    public void Parse_BareName_NormalisedToDockerHubLibraryLatest()
    {
        var reference = ImageReference.Parse("busybox");

        Assert.Equal("docker.io", reference.Domain);
        Assert.Equal("library/busybox", reference.Path);
        Assert.Equal("latest", reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal("docker.io/library/busybox", reference.Name);
        Assert.Equal("busybox", reference.FamiliarName);
        Assert.Equal("busybox:latest", reference.FamiliarString);
        Assert.Equal("docker.io/library/busybox:latest", reference.ToString());
    }

    [Theory]
    [InlineData("docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", "busybox:1.36")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", "latest", "busybox:latest")]
    [InlineData("user/app", "docker.io", "user/app", "latest", "user/app:latest")]
    [InlineData("docker.io/user/app:v1", "docker.io", "user/app", "v1", "user/app:v1")]
    [InlineData("localhost:5000/x:1", "localhost:5000", "x", "1", "localhost:5000/x:1")]
    [InlineData("localhost/x", "localhost", "x", "latest", "localhost/x:latest")]
    [InlineData("registry.example.com/a/b/c:tag_1.2-x", "registry.example.com", "a/b/c", "tag_1.2-x", "registry.example.com/a/b/c:tag_1.2-x")]
    [InlineData("my-app__x.y", "docker.io", "library/my-app__x.y", "latest", "my-app__x.y:latest")]
    public void Parse_ValidReference_SplitsAndNormalises(string text, string domain, string path, string tag, string familiar)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Fact]
    public void Parse_DigestWithoutTag_KeepsDigestAndNoTag()
    {
        var digest = "sha256:" + new string('a', 64);

        var reference = ImageReference.Parse("busybox@" + digest);

        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal("busybox@" + digest, reference.FamiliarString);
    }

    [Fact]
    public void Parse_UppercaseRepository_ThrowsMustBeLowercase()
    {
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse("Busybox"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("invalid reference format: repository name (library/Busybox) must be lowercase", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b:c")]
    [InlineData("-leading")]
    [InlineData("trailing/")]
    [InlineData(":tag")]
    [InlineData("x:-badtag")]
    [InlineData("a//b")]
    [InlineData("x@sha256:short")]
    public void Parse_Malformed_ThrowsInvalidReferenceFormat(string text)
    {
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse(text));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("invalid reference format", error.Message);
    }

    [Fact]
    public void TryParse_SixtyFourHexCharacters_RefusedAsName()
    {
        Assert.False(ImageReference.TryParse(new string('0', 64), out _));
    }

    [Fact]
    public void Parse_TagLongerThan128_Throws()
    {
        Assert.Throws<EngineException>(() => ImageReference.Parse("x:" + new string('a', 129)));
        Assert.Equal(new string('a', 128), ImageReference.Parse("x:" + new string('a', 128)).Tag);
    }
}

namespace Wharf.Linux.Tests;

public sealed class RuncCliTests
{
    // Debian 12's runc 1.1.5, verbatim.
    private const string Debian12Output = "runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4\n";

    [Fact]
    public void ParsesVersionAndCommitFromOneOutput()
    {
        Assert.Equal("1.1.5+ds1", RuncCli.ParseVersion(Debian12Output));
        Assert.Equal("1.1.5+ds1-1+deb12u1", RuncCli.ParseCommit(Debian12Output));
    }

    [Fact]
    public void AnOutputWithoutACommitLineHasAnEmptyCommit() =>
        Assert.Equal("", RuncCli.ParseCommit("runc version 1.2.0\nspec: 1.2.0\n"));

    [Fact]
    public async Task VersionAsync_AsksTheInstalledRunc()
    {
        var version = await new RuncCli().VersionAsync();
        Assert.False(string.IsNullOrWhiteSpace(version.Version));
        Assert.DoesNotContain("runc version", version.Version, StringComparison.Ordinal);
    }
}

using Wharf.Engine.Builder;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

public sealed class DockerignoreMatcherTests
{
    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "dir/a.log", false)]
    [InlineData("**/*.log", "dir/sub/a.log", true)]
    [InlineData("**/*.log", "a.log", true)]
    [InlineData("node_modules", "node_modules/x/y.js", true)]
    [InlineData("./secret", "secret", true)]
    [InlineData("s?cret", "secret", true)]
    [InlineData("# comment", "# comment", false)]
    public void IsExcluded_Patterns(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerignoreMatcher(pattern).IsExcluded(path));

    [Fact]
    public void IsExcluded_Exception_ReincludesAndLastRuleWins()
    {
        var matcher = new DockerignoreMatcher("*.md\n!README.md\n");

        Assert.True(matcher.IsExcluded("NOTES.md"));
        Assert.False(matcher.IsExcluded("README.md"));
    }
}

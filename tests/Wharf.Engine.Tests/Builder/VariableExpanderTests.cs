using Wharf.Engine.Builder;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

public sealed class VariableExpanderTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["NAME"] = "wharf", ["EMPTY"] = "" };

    [Theory]
    [InlineData("$NAME", "wharf")]
    [InlineData("${NAME}-x", "wharf-x")]
    [InlineData("${MISSING:-dflt}", "dflt")]
    [InlineData("${EMPTY:-dflt}", "dflt")]
    [InlineData("${EMPTY-dflt}", "")]
    [InlineData("${NAME:+set}", "set")]
    [InlineData("${MISSING:+set}", "")]
    [InlineData("\\$NAME", "$NAME")]
    [InlineData("'$NAME'", "'$NAME'")]
    [InlineData("${MISSING:-${NAME}}", "wharf")]
    public void Expand_Forms_MatchDockerfileSemantics(string input, string expected) =>
        Assert.Equal(expected, VariableExpander.Expand(input, n => Vars.GetValueOrDefault(n)));
}

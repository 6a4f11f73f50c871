using Wharf.Compose.Loading;

namespace Wharf.Compose.Tests;

public sealed class InterpolatorTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["SET"] = "value", ["EMPTY"] = "" };

    private static string Run(string text) => new Interpolator(Vars.GetValueOrDefault).Substitute(text);

    [Theory]
    [InlineData("${SET}", "value")]
    [InlineData("$SET/x", "value/x")]
    [InlineData("${UNSET}", "")]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${SET:-d}", "value")]
    [InlineData("${SET:+r}", "r")]
    [InlineData("${UNSET:+r}", "")]
    [InlineData("$$SET", "$SET")]
    [InlineData("a$${SET}b", "a${SET}b")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("no dollars", "no dollars")]
    [InlineData("costs $5", "costs $5")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("${UNSET:-a:b}", "a:b")]
    [InlineData("${UNSET:-${EMPTY:-${SET}}}", "value")]
    public void Substitute_Forms_GiveComposeResults(string input, string expected) => Assert.Equal(expected, Run(input));

    [Theory]
    [InlineData("${UNSET:?needs it}", "needs it")]
    [InlineData("${EMPTY:?empty}", "empty")]
    [InlineData("${UNSET?gone}", "gone")]
    public void Substitute_RequiredMissing_ThrowsWithMessage(string input, string message)
    {
        var ex = Assert.Throws<ComposeException>(() => Run(input));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitute_RequiredWithoutMessage_SaysOnlyWhichVariable()
    {
        var ex = Assert.Throws<ComposeException>(() => Run("${UNSET:?}"));
        Assert.Equal("required variable UNSET is missing a value", ex.Message);
    }

    [Fact]
    public void Substitute_RequiredEmptyWithoutColon_IsAccepted() => Assert.Equal("", Run("${EMPTY?x}"));

    [Fact]
    public void Substitute_UnsetPlainVariables_AreReportedOncePerUseButNotThoseWithDefaults()
    {
        var unset = new List<string>();
        var interpolator = new Interpolator(Vars.GetValueOrDefault, unset.Add);

        Assert.Equal("/-/", interpolator.Substitute("$NOPE/${NOPE}-${DEF:-}/${SET:+}${ALT-}"));

        Assert.Equal(["NOPE", "NOPE"], unset);
    }

    [Fact]
    public void Substitute_Unterminated_Throws() => Assert.Throws<ComposeException>(() => Run("${SET"));
}

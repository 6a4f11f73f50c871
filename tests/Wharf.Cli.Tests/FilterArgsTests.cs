using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class FilterArgsTests
{
    [Fact]
    public void ToJson_RepeatedKeys_GroupsValuesAsTrueMap()
    {
        var json = FilterArgs.ToJson(["label=a=1", "status=exited", "label=b", "status=exited"]);
        Assert.Equal("""{"label":{"a=1":true,"b":true},"status":{"exited":true}}""", json);
    }

    [Fact]
    public void ToJson_NoFilters_IsNull()
    {
        Assert.Null(FilterArgs.ToJson([]));
    }

    [Fact]
    public void ToJson_MissingEquals_Throws()
    {
        Assert.Throws<CliUsageException>(() => FilterArgs.ToJson(["dangling"]));
    }
}

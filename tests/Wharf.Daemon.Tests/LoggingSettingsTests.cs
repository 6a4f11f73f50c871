using Wharf.Daemon.Configuration;
using Wharf.Daemon.Endpoints;

namespace Wharf.Daemon.Tests;

public sealed class LoggingSettingsTests
{
    [Fact]
    public void FromJson_LogDriverAndOpts_BecomeTheDefaults()
    {
        var settings = DaemonSettingsLoader.FromJson("""{"log-driver":"local","log-opts":{"max-size":"5m","max-file":"2"}}""");

        Assert.Equal("local", settings.LogDriver);
        Assert.Equal("5m", settings.LogOpts["max-size"]);
        Assert.Equal("2", settings.LogOpts["max-file"]);
        Assert.Equal("json-file", DaemonSettingsLoader.FromJson("{}").LogDriver);
    }

    [Fact]
    public void Format_Attributes_SortedCommaJoinedQueryEscapedWithTrailingSpace()
    {
        Assert.Equal("a=1,b=x+y%26z ", LogDetails.Format(new Dictionary<string, string> { ["b"] = "x y&z", ["a"] = "1" }));
        Assert.Equal(" ", LogDetails.Format(null));
    }
}

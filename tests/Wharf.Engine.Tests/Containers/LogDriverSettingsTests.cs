using Wharf.Core.Errors;
using Wharf.Engine.Containers.Logs;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class LogDriverSettingsTests
{
    [Fact]
    public void Parse_JsonFileWithRotation_ReadsSizeUnitsAndFiles()
    {
        var s = LogDriverSettings.Parse("json-file", new Dictionary<string, string> { ["max-size"] = "10k", ["max-file"] = "3", ["compress"] = "true" });
        Assert.Equal(new LogDriverSettings("json-file", 10 * 1024, 3, true), s);
        Assert.Equal(new LogDriverSettings("json-file", 0, 1, false), LogDriverSettings.Parse("json-file", new Dictionary<string, string>()));
    }

    [Fact]
    public void Parse_Local_DefaultsLikeDocker()
    {
        Assert.Equal(new LogDriverSettings("local", 20 * 1024 * 1024, 5, true), LogDriverSettings.Parse("local", new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("2m", 2L * 1024 * 1024)]
    [InlineData("1.5k", 1536L)]
    [InlineData("3G", 3L * 1024 * 1024 * 1024)]
    [InlineData("10kb", 10240L)]
    public void ParseSize_Units_AreBinary(string text, long expected) => Assert.Equal(expected, LogDriverSettings.ParseSize(text));

    [Theory]
    [InlineData("syslogx", "", "", "logger: no log driver named 'syslogx' is registered")]
    [InlineData("json-file", "max-size", "ten", "invalid size: 'ten'")]
    [InlineData("json-file", "max-file", "0", "max-file cannot be less than 1")]
    [InlineData("json-file", "mode", "blocking", "unknown log opt 'mode' for json-file log driver")]
    [InlineData("local", "labels", "a", "unknown log opt 'labels' for log driver local")]
    [InlineData("json-file", "compress", "true", "compress cannot be true when max-file is less than 2")]
    public void Parse_BadInput_IsInvalidArgumentWithDockersWording(string driver, string key, string value, string expected)
    {
        var options = key.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { [key] = value };
        var e = Assert.Throws<EngineException>(() => LogDriverSettings.Parse(driver, options));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Attributes_LabelsAndEnv_AreSortedAndEncodable()
    {
        var attrs = LogDriverSettings.Attributes(
            new Dictionary<string, string> { ["labels"] = "team,missing", ["env"] = "STAGE", ["env-regex"] = "^RE" },
            new Dictionary<string, string> { ["team"] = "a b", ["other"] = "x" },
            ["STAGE=prod", "REGION=eu", "PATH=/bin"]);

        Assert.Equal(["REGION", "STAGE", "team"], attrs.Select(a => a.Key));
        Assert.Equal("REGION=eu&STAGE=prod&team=a%20b", LogDriverSettings.EncodeAttributes(attrs));
    }
}

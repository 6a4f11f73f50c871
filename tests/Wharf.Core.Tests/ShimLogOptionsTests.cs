using Wharf.Core.Shim;
using Xunit;

namespace Wharf.Core.Tests;

public sealed class ShimLogOptionsTests
{
    [Fact]
    public void ShimOptions_LogSettings_RoundTripThroughArgs()
    {
        var options = new ShimOptions
        {
            Id = new string('a', 64), Bundle = "/b", StateDir = "/s", Runtime = "runc", RuntimeRoot = "/r", LogPath = "/l/c.log",
            LogDriver = "local", LogMaxSize = 20 * 1024 * 1024, LogMaxFiles = 5, LogCompress = true, LogAttrs = "team=a%20b&x=y",
        };
        var args = options.ToArgs();

        Assert.Equal(options, ShimOptions.Parse(args));
        Assert.Contains("--log-compress", args);
    }

    [Fact]
    public void ShimOptions_DefaultLogSettings_AddNoFlags()
    {
        var options = new ShimOptions { Id = "x", Bundle = "/b", StateDir = "/s", Runtime = "runc", RuntimeRoot = "/r", LogPath = "/l" };
        Assert.DoesNotContain(options.ToArgs(), a => a.StartsWith("--log-", StringComparison.Ordinal));
        Assert.Equal(("json-file", 0L, 1, false), (options.LogDriver, options.LogMaxSize, options.LogMaxFiles, options.LogCompress));
    }
}

using Wharf.Daemon.Configuration;
using Xunit;

namespace Wharf.Daemon.Tests;

public sealed class InteractiveSettingsTests
{
    [Fact]
    public void FromJson_DetachKeys_BecomesTheDaemonDefault()
    {
        Assert.Equal("ctrl-x,x", DaemonSettingsLoader.FromJson("""{"detach-keys": "ctrl-x,x"}""").DetachKeys);
        Assert.Null(DaemonSettingsLoader.FromJson("{}").DetachKeys);
    }
}

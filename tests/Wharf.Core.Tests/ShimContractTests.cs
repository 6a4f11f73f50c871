using Wharf.Core.Shim;

namespace Wharf.Core.Tests;

public sealed class ShimContractTests
{
    [Fact]
    public void ShimOptions_ToArgsThenParse_RoundTrips()
    {
        var options = new ShimOptions
        {
            Id = new string('a', 64),
            Bundle = "/run/wharf/containers/x",
            StateDir = "/run/wharf/containers/x",
            Runtime = "/usr/sbin/runc",
            RuntimeRoot = "/run/wharf/runc",
            LogPath = "/var/lib/wharf/containers/x/x-json.log",
            RootfsMount = "/run/wharf/containers/x/rootfs",
            OpenStdin = true,
            StdinOnce = true,
            Tty = false,
        };
        Assert.Equal(options, ShimOptions.Parse(options.ToArgs()));
    }

    [Fact]
    public void ShimOptions_MissingFlag_IsRejected() =>
        Assert.Throws<ArgumentException>(() => ShimOptions.Parse(["--id", "x"]));

    [Fact]
    public void Socket_ShortStateDir_LivesInIt()
    {
        Assert.Equal("/run/wharf/containers/abc/shim.sock", ShimPaths.Socket("/run/wharf/containers/abc"));
    }

    [Fact]
    public void Socket_DeepStateDir_FallsBackToShortStableName()
    {
        var deep = "/tmp/a-rather-long-temporary-directory/exec/containers/" + new string('f', 64);
        var socket = ShimPaths.Socket(deep);
        Assert.StartsWith(ShimPaths.ShortSocketDir + "/", socket);
        Assert.True(socket.Length <= 100);
        Assert.Equal(socket, ShimPaths.Socket(deep));
        Assert.NotEqual(socket, ShimPaths.Socket(deep[..^1] + "0"));
    }
}

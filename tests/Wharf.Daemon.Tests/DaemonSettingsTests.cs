using System.Net;
using Wharf.Daemon.Configuration;

namespace Wharf.Daemon.Tests;

public sealed class DaemonSettingsTests
{
    [Fact]
    public void Load_FlagsOverrideDaemonJson()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                {
                  // comments are allowed, as dockerd allows them
                  "data-root": "/srv/wharf",
                  "debug": true,
                  "hosts": ["unix:///run/a.sock"],
                  "registry-mirrors": ["ignored for now"],
                }
                """);
            var settings = DaemonSettingsLoader.Load(["--config-file", file, "--exec-root=/run/x", "-H", "unix:///run/b.sock", "-H", "tcp://127.0.0.1:2375"]);
            Assert.Equal("/srv/wharf", settings.DataRoot);
            Assert.Equal("/run/x", settings.ExecRoot);
            Assert.True(settings.Debug);
            Assert.Equal(["unix:///run/b.sock", "tcp://127.0.0.1:2375"], settings.Hosts);
            Assert.Equal("/run/x/wharfd.pid", settings.EffectivePidFile);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_DefaultCgroupnsMode_FromDaemonJsonOrFlag_AndOnlyHostOrPrivate()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "default-cgroupns-mode": "private" }""");
            Assert.Equal("private", DaemonSettingsLoader.Load(["--config-file", file]).DefaultCgroupnsMode);
            Assert.Equal("host", DaemonSettingsLoader.Load(["--config-file", file, "--default-cgroupns-mode", "host"]).DefaultCgroupnsMode);
            Assert.Null(DaemonSettingsLoader.Load(["--config-file", "/nonexistent/daemon.json"]).DefaultCgroupnsMode);
            var e = Assert.Throws<ArgumentException>(() => DaemonSettingsLoader.Load(["--config-file", file, "--default-cgroupns-mode", "shared"]));
            Assert.Equal("invalid default cgroup namespace (shared): must be either \"host\" or \"private\"", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_Experimental_FromDaemonJsonOrFlag_OffByDefault()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.False(DaemonSettingsLoader.Load(["--config-file", "/nonexistent/daemon.json"]).Experimental);
            Assert.True(DaemonSettingsLoader.Load(["--config-file", "/nonexistent/daemon.json", "--experimental"]).Experimental);
            File.WriteAllText(file, """{ "experimental": true }""");
            Assert.True(DaemonSettingsLoader.Load(["--config-file", file]).Experimental);
            Assert.False(DaemonSettingsLoader.Load(["--config-file", file, "--experimental=false"]).Experimental);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_Defaults_WhenNoConfigFile()
    {
        var settings = DaemonSettingsLoader.Load(["--config-file", "/nonexistent/daemon.json"]);
        Assert.Equal("/var/lib/wharf", settings.DataRoot);
        Assert.Equal(["unix:///run/wharf/wharf.sock"], settings.Hosts);
    }

    [Theory]
    [InlineData("--bogus", "x")]
    [InlineData("--data-root")]
    public void Load_BadFlags_AreRejected(params string[] args) =>
        Assert.Throws<ArgumentException>(() => DaemonSettingsLoader.Load(["--config-file", "/nonexistent", .. args]));

    [Fact]
    public void FromJson_NotAnObject_IsRejected() =>
        Assert.Throws<FormatException>(() => DaemonSettingsLoader.FromJson("[]"));

    [Theory]
    [InlineData("unix:///tmp/x.sock", "/tmp/x.sock", null)]
    [InlineData("unix://", "/run/wharf/wharf.sock", null)]
    [InlineData("tcp://127.0.0.1:2376", null, "127.0.0.1:2376")]
    [InlineData("tcp://127.0.0.1", null, "127.0.0.1:2375")]
    [InlineData("tcp://localhost:9000", null, "127.0.0.1:9000")]
    public void ListenAddress_Parse(string text, string? unix, string? tcp)
    {
        var address = ListenAddress.Parse(text);
        Assert.Equal(unix, address.UnixPath);
        Assert.Equal(tcp, address.Endpoint?.ToString());
    }

    [Fact]
    public void ListenAddress_Unsupported_IsRejected() =>
        Assert.Throws<FormatException>(() => ListenAddress.Parse("fd://"));

    [Fact]
    public void ResourceLimits_ParsesHardNofile()
    {
        const string limits = "Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 20000                files\n";
        Assert.Equal(20000UL, ResourceLimits.ParseNofileHard(limits));
        Assert.Null(ResourceLimits.ParseNofileHard("nothing here"));
        Assert.True(ResourceLimits.NofileHardLimit() > 0);
    }

    [Fact]
    public void ListenAddress_LoopbackEndpoint() =>
        Assert.Equal(IPAddress.Loopback, ListenAddress.Parse("tcp://127.0.0.1:1").Endpoint!.Address);
}

using System.Net;
using Wharf.Core.Errors;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Http;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks.Drivers;
using Wharf.Engine.Swarm;

namespace Wharf.Daemon.Tests;

public sealed class ClusterSettingsTests
{
    [Fact]
    public void Load_ClusterFlags_OverrideDaemonJsonAndMergeStoreOpts()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                {
                  "cluster-store": "etcd://10.99.0.1:2379",
                  "cluster-advertise": "10.99.0.2",
                  "cluster-store-opts": { "kv.cacertfile": "/etc/wharf/ca.pem", "discovery.ttl": "20" }
                }
                """);

            var fromJson = DaemonSettingsLoader.Load(["--config-file", file]);
            var withFlags = DaemonSettingsLoader.Load([
                "--config-file", file, "--cluster-store", "etcd://10.99.0.9:2379", "--cluster-advertise=10.99.0.3:2376",
                "--cluster-store-opt", "discovery.ttl=30", "--cluster-store-opt", "kv.certfile=/c.pem", "--cgroup-parent", "/wharf-h1"]);

            Assert.Equal("etcd://10.99.0.1:2379", fromJson.ClusterStore);
            Assert.Equal("10.99.0.2", fromJson.ClusterAdvertise);
            Assert.Equal("/etc/wharf/ca.pem", fromJson.ClusterStoreOpts["kv.cacertfile"]);
            Assert.Equal("etcd://10.99.0.9:2379", withFlags.ClusterStore);
            Assert.Equal("10.99.0.3:2376", withFlags.ClusterAdvertise);
            Assert.Equal("30", withFlags.ClusterStoreOpts["discovery.ttl"]);
            Assert.Equal("/c.pem", withFlags.ClusterStoreOpts["kv.certfile"]);
            Assert.Equal("/etc/wharf/ca.pem", withFlags.ClusterStoreOpts["kv.cacertfile"]);
            Assert.Equal("/wharf-h1", withFlags.CgroupParent);
            Assert.Null(fromJson.CgroupParent);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--cluster-advertise must be accompanied by --cluster-store", "--cluster-advertise", "10.99.0.2")]
    [InlineData("--cluster-store-opt must be accompanied by --cluster-store", "--cluster-store-opt", "kv.certfile=/x")]
    [InlineData("expected KEY=VALUE", "--cluster-store", "etcd://a:1", "--cluster-store-opt", "novalue")]
    public void Load_IncompleteClusterConfiguration_IsRefused(string reason, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => DaemonSettingsLoader.Load(["--config-file", "/nonexistent", .. args]));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("consul://10.99.0.1:8500", "10.99.0.2", "only etcd:// is supported")]
    [InlineData("etcd://10.99.0.1:99999", "10.99.0.2", "bad port")]
    [InlineData("etcd://10.99.0.1:2379", null, "needs --cluster-advertise")]
    [InlineData("etcd://10.99.0.1:2379", "127.0.0.1", "other hosts cannot reach")]
    [InlineData("etcd://10.99.0.1:2379", "nosuchif0:2376", "no interface or IP address")]
    public void Open_BadClusterSettings_RefuseToStartSayingWhy(string store, string? advertise, string reason)
    {
        var settings = new DaemonSettings { ClusterStore = store, ClusterAdvertise = advertise };

        var error = Assert.Throws<ArgumentException>(() => DaemonCluster.Open(settings));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoClusterStore_IsNoCluster() => Assert.Null(DaemonCluster.Open(new DaemonSettings()));

    [Fact]
    public void AdvertiseAddress_IpWithPort_IsTheIp() =>
        Assert.Equal(IPAddress.Parse("10.99.0.2"), AdvertiseAddress.Resolve("10.99.0.2:2376"));

    [Fact]
    public void OverlayWithoutStore_NetworkCreate_IsA503SayingHowToConfigureIt()
    {
        using var dir = new Wharf.TestKit.TempDirectory("wharf-overlay-nostore");
        var context = new NetworkDriverContext(new Wharf.TestKit.RecordingNetlink(), dir.Path, 0, () => [], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var driver = new SwarmOverlayDriver(context, new SwarmMembership(dir.Path));

        var error = Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string>()));

        Assert.Equal(503, ErrorMiddleware.StatusFor(error.Kind));
        Assert.Contains("--cluster-store etcd://HOST:PORT", error.Message, StringComparison.Ordinal);
    }
}

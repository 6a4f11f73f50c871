using Wharf.Core.Errors;

namespace Wharf.Cluster.Tests;

public sealed class ClusterStoreAddressTests
{
    [Theory]
    [InlineData("etcd://127.0.0.1:2379", "127.0.0.1:2379")]
    [InlineData("etcd://10.99.0.1", "10.99.0.1:2379")]
    [InlineData("etcd://a:1,b:2/", "a:1,b:2")]
    [InlineData("ETCD://[::1]:4001", "[::1]:4001")]
    public void Parse_ValidUrl_ListsEndpoints(string url, string endpoints)
    {
        var address = ClusterStoreAddress.Parse(url);

        Assert.Equal(endpoints, string.Join(",", address.Endpoints));
        Assert.Equal("etcd://" + endpoints, address.ToString());
    }

    [Theory]
    [InlineData("consul://127.0.0.1:8500", "only etcd:// is supported")]
    [InlineData("127.0.0.1:2379", "expected etcd://HOST:PORT")]
    [InlineData("etcd://", "empty host")]
    [InlineData("etcd://a:1,", "empty host")]
    [InlineData("etcd://a:0", "bad port")]
    [InlineData("etcd://a:99999", "bad port")]
    [InlineData("etcd://a:x", "bad port")]
    [InlineData("etcd://a:1/wharf", "a path is not supported")]
    public void Parse_BadUrl_ThrowsInvalidArgumentSayingWhy(string url, string reason)
    {
        var error = Assert.Throws<EngineException>(() => ClusterStoreAddress.Parse(url));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_DockerKeys_AreRead()
    {
        var options = ClusterStoreOptions.Parse(new Dictionary<string, string>
        {
            ["kv.cacertfile"] = "/ca.pem",
            ["kv.certfile"] = "/cert.pem",
            ["kv.keyfile"] = "/key.pem",
            ["discovery.ttl"] = "20",
            ["discovery.heartbeat"] = "5s",
        });

        Assert.True(options.UsesTls);
        Assert.Equal(("/ca.pem", "/cert.pem", "/key.pem"), (options.CaCertFile, options.CertFile, options.KeyFile));
        Assert.Equal(TimeSpan.FromSeconds(20), options.NodeTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Heartbeat);
        Assert.False(ClusterStoreOptions.Parse(new Dictionary<string, string>()).UsesTls);
    }

    [Theory]
    [InlineData("kv.certfle", "/x", "unsupported cluster-store-opt")]
    [InlineData("kv.certfile", "/x", "must be given together")]
    [InlineData("discovery.ttl", "-3", "not a positive number")]
    [InlineData("discovery.heartbeat", "60", "must be shorter than discovery.ttl")]
    public void Options_Bad_AreRefused(string key, string value, string reason)
    {
        var error = Assert.Throws<EngineException>(() => ClusterStoreOptions.Parse(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Networks;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>Legacy links on the default bridge (HostConfig.Links): Docker's environment variables and hosts entry,
/// inspect's "/name:/parent/alias", the refusals, and removing a link.</summary>
public sealed class LegacyLinkTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-links");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Environment_AsDockersLinksPackageWritesIt()
    {
        var env = LegacyLinkEnvironment.For("web", "my-db", "172.17.0.2", ["5432/tcp", "53/udp", "53/tcp"], ["PATH=/bin", "HOME=/root", "FOO=1", "EMPTY="]);

        Assert.Equal(
        [
            "MY_DB_PORT=tcp://172.17.0.2:53",
            "MY_DB_PORT_53_TCP=tcp://172.17.0.2:53", "MY_DB_PORT_53_TCP_ADDR=172.17.0.2", "MY_DB_PORT_53_TCP_PORT=53", "MY_DB_PORT_53_TCP_PROTO=tcp",
            "MY_DB_PORT_53_UDP=udp://172.17.0.2:53", "MY_DB_PORT_53_UDP_ADDR=172.17.0.2", "MY_DB_PORT_53_UDP_PORT=53", "MY_DB_PORT_53_UDP_PROTO=udp",
            "MY_DB_PORT_5432_TCP=tcp://172.17.0.2:5432", "MY_DB_PORT_5432_TCP_ADDR=172.17.0.2", "MY_DB_PORT_5432_TCP_PORT=5432", "MY_DB_PORT_5432_TCP_PROTO=tcp",
            "MY_DB_NAME=/web/my-db",
            "MY_DB_ENV_FOO=1", "MY_DB_ENV_EMPTY=",
        ], env);
    }

    [Theory]
    [InlineData("db", "db", "db")]
    [InlineData("db:alias", "db", "alias")]
    [InlineData("/db:/web/alias", "db", "alias")]
    public void Parse_EveryFormClientsSend(string text, string target, string alias)
    {
        var link = LegacyLink.Parse(text);

        Assert.Equal(new LegacyLink(target, alias), link);
        Assert.Equal($"/{target}:/web/{alias}", link.ToInspect("web"));
    }

    [Fact]
    public async Task Start_LinkedContainer_EnvAndHostsEntry_ThenLinkRemoved()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        using var networks = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wlink0", HostResolvConf = _dir.Combine("no-resolv.conf") },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        networks.Initialize();
        h.UseService(networks: networks);
        var db = h.Create("db", cmd: ["cat"], config: c => { c.Env = ["FOO=1"]; c.ExposedPorts = ["5432/tcp"]; }, host: s => s.NetworkMode = "bridge");
        var refused = Assert.Throws<EngineException>(() => h.Create("nolink", host: s => { s.NetworkMode = "bridge"; s.Links = ["nope:x"]; }));
        Assert.StartsWith("could not get container for nope", refused.Message, StringComparison.Ordinal);
        var web = h.Create("web", cmd: ["env"], host: s => { s.NetworkMode = "bridge"; s.Links = ["/db:/web/mydb"]; });
        Assert.Equal(["db:mydb"], web.Host.Links);

        // Docker refuses to start a container whose link target is not running.
        var notRunning = await Assert.ThrowsAsync<EngineException>(() => h.Service.StartAsync(web.Id, CancellationToken.None));
        Assert.Equal("Cannot link to a non running container: /db AS /web/mydb", notRunning.Message);

        await h.Service.StartAsync(db.Id, CancellationToken.None);
        var dbAddress = NetworkService.ParseCidr(networks.EndpointOf("bridge", db.Id)!.IPv4Address).Address.ToString();
        await h.Service.StartAsync(web.Id, CancellationToken.None);

        var paths = h.Service.PathsOf(h.Service.Get(web.Id));
        var spec = JsonSerializer.Deserialize(File.ReadAllBytes(paths.SpecFile), CoreJsonContext.Default.RuntimeSpec)!;
        Assert.Contains("MYDB_NAME=/web/mydb", spec.Process.Env);
        Assert.Contains("MYDB_ENV_FOO=1", spec.Process.Env);
        Assert.Contains($"MYDB_PORT_5432_TCP=tcp://{dbAddress}:5432", spec.Process.Env);
        Assert.Contains($"{dbAddress}\tmydb {db.Config.Hostname} db\n", File.ReadAllText(paths.HostsFile));

        await h.Service.RemoveLinkAsync("web", "mydb", CancellationToken.None);
        Assert.Empty(h.Service.Get(web.Id).Host.Links);
        var gone = await Assert.ThrowsAsync<EngineException>(() => h.Service.RemoveLinkAsync("web", "mydb", CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }
}

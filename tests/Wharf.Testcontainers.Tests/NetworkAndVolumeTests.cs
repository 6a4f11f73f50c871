using DotNet.Testcontainers.Builders;

namespace Wharf.Testcontainers.Tests;

/// <summary>Two containers on a Testcontainers network reach each other by alias; two containers share a
/// Testcontainers volume. Traffic stays on the network the test made.</summary>
[Collection(TestcontainersCollection.Name)]
public sealed class NetworkAndVolumeTests(TestcontainersDaemon fixture)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [DaemonFact]
    public async Task WithNetworkAliases_SecondContainer_ReachesFirstByAlias()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var network = fixture.Network().WithName(Unique("tc-net")).Build();
        await network.CreateAsync(cts.Token);
        await using var server = fixture.Container()
            .WithNetwork(network)
            .WithNetworkAliases("tc-web", "tc-web-2")
            .WithCommand("sh", "-c", "mkdir -p /www && echo served-by-alias > /www/index.html && echo web-ready && exec httpd -f -p 80 -h /www")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("web-ready"))
            .Build();
        await server.StartAsync(cts.Token);
        await using var client = fixture.Container().WithNetwork(network).WithCommand("sleep", "3600").Build();
        await client.StartAsync(cts.Token);

        foreach (var alias in new[] { "tc-web", "tc-web-2" })
        {
            var fetch = await client.ExecAsync(["wget", "-q", "-O", "-", $"http://{alias}/"], cts.Token);
            Assert.True(fetch.ExitCode == 0, $"wget http://{alias}/ exited {fetch.ExitCode}: {fetch.Stderr}");
            Assert.Equal("served-by-alias\n", fetch.Stdout);
        }
    }

    [DaemonFact]
    public async Task WithVolumeMount_TwoContainers_SecondReadsWhatFirstWrote()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var volume = fixture.Volume().WithName(Unique("tc-vol")).Build();
        await volume.CreateAsync(cts.Token);
        await using var writer = fixture.Container().WithVolumeMount(volume, "/data").WithCommand("sleep", "3600").Build();
        await writer.StartAsync(cts.Token);
        var write = await writer.ExecAsync(["sh", "-c", "echo shared-content > /data/note"], cts.Token);
        Assert.Equal(0, write.ExitCode);
        await using var reader = fixture.Container().WithVolumeMount(volume, "/mnt/shared").WithCommand("sleep", "3600").Build();
        await reader.StartAsync(cts.Token);

        var read = await reader.ExecAsync(["cat", "/mnt/shared/note"], cts.Token);

        Assert.Equal(0, read.ExitCode);
        Assert.Equal("shared-content\n", read.Stdout);
    }
}

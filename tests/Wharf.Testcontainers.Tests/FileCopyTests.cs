using System.Text;
using DotNet.Testcontainers.Configurations;

namespace Wharf.Testcontainers.Tests;

/// <summary>Testcontainers copies files in as a tar whose entry names are absolute ("/tmp/x") through PUT
/// /containers/{id}/archive?path=/ and reads them back with GET on the same resource.</summary>
[Collection(TestcontainersCollection.Name)]
public sealed class FileCopyTests(TestcontainersDaemon fixture)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    [DaemonFact]
    public async Task CopyAsync_BytesIntoRunningContainer_ReadBackAndSeenInside()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var container = fixture.Container().WithCommand("sleep", "3600").Build();
        await container.StartAsync(cts.Token);
        var content = Encoding.UTF8.GetBytes("copied by testcontainers\n");

        await container.CopyAsync(content, "/tmp/nested/greeting.txt", fileMode: UnixFileModes.UserRead | UnixFileModes.UserWrite, ct: cts.Token);

        Assert.Equal(content, await container.ReadFileAsync("/tmp/nested/greeting.txt", cts.Token));
        var inside = await container.ExecAsync(["sh", "-c", "cat /tmp/nested/greeting.txt && stat -c %a /tmp/nested/greeting.txt"], cts.Token);
        Assert.Equal(0, inside.ExitCode);
        Assert.Equal("copied by testcontainers\n600\n", inside.Stdout);
    }

    [DaemonFact]
    public async Task WithResourceMapping_BeforeStart_FileIsThereWhenTheCommandRuns()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var container = fixture.Container()
            .WithResourceMapping(Encoding.UTF8.GetBytes("mapped\n"), DotNet.Testcontainers.Builders.FilePath.Of("/etc/wharf-mapped.txt"))
            .WithCommand("sh", "-c", "cat /etc/wharf-mapped.txt; sleep 3600")
            .WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilMessageIsLogged("mapped"))
            .Build();

        await container.StartAsync(cts.Token);

        Assert.Equal("mapped\n", Encoding.UTF8.GetString(await container.ReadFileAsync("/etc/wharf-mapped.txt", cts.Token)));
    }
}

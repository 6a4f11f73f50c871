using System.Formats.Tar;
using System.Text;
using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Tests;

/// <summary>Secrets and configs from environment: or content: are written into the container before it starts.</summary>
public sealed class FileObjectTests
{
    private const string Yaml = """
        services:
          a:
            image: busybox
            secrets: [token]
            configs:
              - source: app
                target: /etc/app.conf
                mode: 0440
                uid: "100"
        secrets:
          token: { environment: TOKEN }
        configs:
          app: { content: "port=${PORT}\n" }
        """;

    private static ComposeProject Load(TempProject dir, string yaml, Dictionary<string, string> env)
    {
        dir.Write("compose.yaml", yaml);
        return new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = env.GetValueOrDefault, ProjectName = "proj" });
    }

    private static (string Name, string Content, UnixFileMode Mode, int Uid) Single(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entry = reader.GetNextEntry()!;
        Assert.Null(reader.GetNextEntry());
        using var text = new StreamReader(entry.DataStream!, Encoding.UTF8);
        return (entry.Name, text.ReadToEnd(), entry.Mode, entry.Uid);
    }

    [Fact]
    public async Task Up_EnvironmentSecretAndContentConfig_AreCopiedInBeforeStart()
    {
        using var dir = new TempProject();
        var project = Load(dir, Yaml, new() { ["TOKEN"] = "s3cret", ["PORT"] = "8080" });
        var engine = new FakeComposeEngine();

        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);

        Assert.Equal(["create proj-a-1", "copy proj-a-1 /", "copy proj-a-1 /", "start proj-a-1"], engine.Calls.Where(c => !c.StartsWith("network ", StringComparison.Ordinal)));
        var secret = Single(engine.Copies[0].Tar);
        Assert.Equal(("run/secrets/token", "s3cret"), (secret.Name, secret.Content));
        Assert.Equal((UnixFileMode)Convert.ToInt32("444", 8), secret.Mode);
        Assert.False(engine.Copies[0].CopyUidGid);
        var config = Single(engine.Copies[1].Tar);
        Assert.Equal(("etc/app.conf", "port=8080\n", 100), (config.Name, config.Content, config.Uid));
        Assert.Equal((UnixFileMode)Convert.ToInt32("440", 8), config.Mode);
        Assert.True(engine.Copies[1].CopyUidGid);
        // Nothing of these is bind-mounted.
        Assert.Null(engine.Containers.Values.Single().Request.HostConfig!.Mounts);
    }

    [Fact]
    public async Task Up_SecretVariableUnset_FailsNamingItAndCreatesNothing()
    {
        using var dir = new TempProject();
        var project = Load(dir, Yaml, new() { ["PORT"] = "1" });
        var engine = new FakeComposeEngine();

        var ex = await Assert.ThrowsAsync<ComposeException>(() => new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None));

        Assert.Contains("environment variable \"TOKEN\" required by secret \"proj_token\" is not set", ex.Message, StringComparison.Ordinal);
        Assert.Empty(engine.Containers);
    }

    [Fact]
    public void Plan_ReadOnlyService_RefusesLikeCompose()
    {
        using var dir = new TempProject();
        var project = Load(dir, Yaml.Replace("image: busybox", "image: busybox\n    read_only: true", StringComparison.Ordinal), new() { ["TOKEN"] = "x" });

        var ex = Assert.Throws<ComposeException>(() => FileObjectInjector.Plan(project, project.Service("a")!));
        Assert.Contains("read-only service a", ex.Message, StringComparison.Ordinal);
    }
}

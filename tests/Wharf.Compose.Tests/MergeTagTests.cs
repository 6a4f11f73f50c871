using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Tests;

/// <summary>The Compose merge directives "!reset" and "!override" across -f files and extends.</summary>
public sealed class MergeTagTests
{
    private const string Base = """
        services:
          web:
            image: busybox
            ports: ["8080:80"]
            environment: { A: "1", B: "2" }
            command: ["sleep", "1"]
            labels: [x=1, y=2]
        """;

    private static ComposeProject Load(TempProject dir, string over)
    {
        dir.Write("base.yaml", Base);
        dir.Write("over.yaml", over);
        return new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, Files = ["base.yaml", "over.yaml"] });
    }

    [Fact]
    public void Reset_RemovesTheBaseValue()
    {
        using var dir = new TempProject();
        var web = Load(dir, "services:\n  web:\n    ports: !reset []\n    command: !reset null\n").Service("web")!;

        Assert.Empty(web.Ports);
        Assert.Null(web.Command);
        Assert.Equal("2", web.Environment["B"]);
    }

    [Fact]
    public void Override_ReplacesInsteadOfMerging()
    {
        using var dir = new TempProject();
        var web = Load(dir, "services:\n  web:\n    environment: !override { C: \"3\" }\n    labels: !override [z=3]\n    ports: !override [\"9090:90\"]\n").Service("web")!;

        Assert.Equal(["C"], web.Environment.Keys);
        Assert.Equal(["z"], web.Labels.Keys);
        Assert.Equal([90], web.Ports.Select(p => p.Target));
    }

    [Fact]
    public void WithoutTags_TheSameFilesMerge()
    {
        using var dir = new TempProject();
        var web = Load(dir, "services:\n  web:\n    environment: { C: \"3\" }\n    ports: [\"9090:90\"]\n").Service("web")!;

        Assert.Equal(["A", "B", "C"], web.Environment.Keys);
        Assert.Equal([80, 90], web.Ports.Select(p => p.Target));
    }

    [Fact]
    public void Reset_InExtends_DropsTheInheritedValue()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", """
            services:
              base:
                image: busybox
                environment: { A: "1" }
                ports: ["8080:80"]
              child:
                extends: base
                ports: !reset []
            """);

        var child = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null }).Service("child")!;

        Assert.Empty(child.Ports);
        Assert.Equal("1", child.Environment["A"]);
    }

    [Fact]
    public void Reset_InASingleFile_MeansAbsent()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    command: !reset [\"x\"]\n");

        Assert.Null(new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null }).Service("a")!.Command);
    }
}

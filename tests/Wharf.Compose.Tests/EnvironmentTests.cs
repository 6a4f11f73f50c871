using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Tests;

/// <summary>.env files and COMPOSE_* variables, as Compose v2 reads them.</summary>
public sealed class EnvironmentTests
{
    private static ComposeProject Load(TempProject dir, Dictionary<string, string>? env = null, string? cwd = null, List<string>? files = null) =>
        new ComposeLoader().Load(new LoadOptions
        {
            CurrentDirectory = cwd ?? dir.Dir,
            Environment = k => env?.GetValueOrDefault(k),
            Files = files ?? [],
        });

    [Fact]
    public void DotEnv_ComposeSettings_NameFilesAndProfiles()
    {
        using var dir = new TempProject();
        dir.Write("one.yaml", "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    profiles: [extra]\n");
        dir.Write("two.yaml", "services:\n  a:\n    environment: [FROM=two]\n");
        dir.Write(".env", "COMPOSE_PROJECT_NAME=fromdotenv\nCOMPOSE_FILE=one.yaml;two.yaml\nCOMPOSE_PATH_SEPARATOR=;\nCOMPOSE_PROFILES=extra\n");

        var project = Load(dir);

        Assert.Equal("fromdotenv", project.Name);
        Assert.Equal([Path.Combine(dir.Dir, "one.yaml"), Path.Combine(dir.Dir, "two.yaml")], project.ConfigFiles);
        Assert.Equal("two", project.Service("a")!.Environment["FROM"]);
        Assert.NotNull(project.Service("b"));
    }

    [Fact]
    public void DotEnv_ShellVariableWinsOverDotEnvSetting()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");
        dir.Write(".env", "COMPOSE_PROJECT_NAME=fromdotenv\n");

        Assert.Equal("fromshell", Load(dir, new() { ["COMPOSE_PROJECT_NAME"] = "fromshell" }).Name);
    }

    [Fact]
    public void DotEnv_Values_AreInterpolatedExceptSingleQuoted()
    {
        using var dir = new TempProject();
        dir.Write(".env", "BASE=busybox\nIMAGE=${BASE}:${TAG:-1.36}\nLITERAL='${BASE}'\nQUOTED=\"x-$BASE\"\nHOME_DIR=${HOME}/data\n");
        dir.Write("compose.yaml", "services:\n  a:\n    image: ${IMAGE}\n    environment: [LITERAL, QUOTED, HOME_DIR]\n");

        var a = Load(dir, new() { ["HOME"] = "/home/me" }).Service("a")!;

        Assert.Equal("busybox:1.36", a.Image);
        Assert.Equal("${BASE}", a.Environment["LITERAL"]);
        Assert.Equal("x-busybox", a.Environment["QUOTED"]);
        Assert.Equal("/home/me/data", a.Environment["HOME_DIR"]);
    }

    [Fact]
    public void DotEnv_RequiredVariableMissing_NamesTheEnvFileAndLine()
    {
        using var dir = new TempProject();
        dir.Write(".env", "A=1\nB=${NOPE:?set NOPE}\n");
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");

        var ex = Assert.Throws<ComposeException>(() => Load(dir));

        Assert.Contains(".env:2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("required variable NOPE is missing a value: set NOPE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvFile_OfService_SeesProjectVariablesAndItsOwnEarlierLines()
    {
        using var dir = new TempProject();
        dir.Write(".env", "TAG=7\n");
        dir.Write("web.env", "VERSION=v${TAG}\nFULL=${VERSION}-final\n");
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    env_file: web.env\n");

        var a = Load(dir).Service("a")!;

        Assert.Equal("v7", a.Environment["VERSION"]);
        Assert.Equal("v7-final", a.Environment["FULL"]);
    }

    [Fact]
    public void ComposeEnvFiles_ReplaceTheDefaultDotEnv()
    {
        using var dir = new TempProject();
        dir.Write(".env", "TAG=default\n");
        dir.Write("a.env", "TAG=a\n");
        dir.Write("b.env", "TAG=b\n");
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox:${TAG}\n");

        Assert.Equal("busybox:b", Load(dir, new() { ["COMPOSE_ENV_FILES"] = "a.env,b.env" }).Service("a")!.Image);
    }

    [Fact]
    public void UnsetBareEnvironmentKey_HidesTheEnvFileValueAndReachesNoContainer()
    {
        using var dir = new TempProject();
        dir.Write("web.env", "SECRET=from-file\n");
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    env_file: web.env\n    environment: [SECRET]\n");

        var project = Load(dir);
        var request = Wharf.Compose.Planning.ContainerSpecBuilder.Build(project, project.Service("a")!, 1, oneOff: false);

        Assert.Null(project.Service("a")!.Environment["SECRET"]);
        Assert.DoesNotContain(request.Env!, e => e.StartsWith("SECRET", StringComparison.Ordinal));
    }
}

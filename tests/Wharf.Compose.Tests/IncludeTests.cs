using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Tests;

/// <summary>Top-level include: as compose-go applies it.</summary>
public sealed class IncludeTests
{
    private static ComposeProject Load(TempProject dir, Dictionary<string, string>? env = null) =>
        new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = k => env?.GetValueOrDefault(k), ProjectName = "proj" });

    [Fact]
    public void Include_ImportsResourcesWithTheirOwnPathsAndDotEnv()
    {
        using var dir = new TempProject();
        dir.Write("db/.env", "DB_TAG=1.36\n");
        dir.Write("db/init.sql", "select 1;");
        dir.Write("db/compose.yaml", """
            services:
              db:
                image: busybox:${DB_TAG}
                volumes: [./init.sql:/init.sql:ro, data:/data]
                env_file: db.env
            volumes:
              data:
            """);
        dir.Write("db/db.env", "ROLE=db\n");
        dir.Write("compose.yaml", """
            include:
              - db/compose.yaml
            services:
              web:
                image: busybox
                depends_on: [db]
            """);

        var project = Load(dir);

        var db = project.Service("db")!;
        Assert.Equal("busybox:1.36", db.Image);
        Assert.Equal(Path.Combine(dir.Dir, "db", "init.sql"), db.Volumes[0].Source);
        Assert.Equal("db", db.Environment["ROLE"]);
        Assert.Equal("proj_data", project.Volumes["data"].Name);
        Assert.Equal(["db", "web"], Wharf.Compose.Planning.Planner.Order(project, project.Services).Select(s => s.Name));
    }

    [Fact]
    public void Include_LongForm_ProjectDirectoryAndEnvFile()
    {
        using var dir = new TempProject();
        dir.Write("parts/app.yaml", "services:\n  app:\n    image: busybox:${TAG}\n    build: ./src\n");
        dir.Write("parts/src/Dockerfile", "FROM busybox\n");
        dir.Write("custom.env", "TAG=custom\n");
        dir.Write("compose.yaml", """
            include:
              - path: parts/app.yaml
                project_directory: parts
                env_file: custom.env
            """);

        var app = Load(dir).Service("app")!;

        Assert.Equal("busybox:custom", app.Image);
        Assert.Equal(Path.Combine(dir.Dir, "parts", "src"), app.Build!.Context);
    }

    [Fact]
    public void Include_ConflictingService_NamesFileLineAndKey()
    {
        using var dir = new TempProject();
        dir.Write("other.yaml", "services:\n  a:\n    image: busybox:2\n");
        dir.Write("compose.yaml", "include: [other.yaml]\nservices:\n  a:\n    image: busybox:1\n");

        var ex = Assert.Throws<ComposeException>(() => Load(dir));

        Assert.Contains("compose.yaml:4: services.a: conflicts with imported resource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_IdenticalDefinitionOnBothSides_IsAccepted()
    {
        using var dir = new TempProject();
        dir.Write("other.yaml", "services:\n  a:\n    image: busybox\n");
        dir.Write("compose.yaml", "include: [other.yaml]\nservices:\n  a:\n    image: busybox\n");

        Assert.Equal("busybox", Load(dir).Service("a")!.Image);
    }

    [Fact]
    public void Include_Cycle_IsReported()
    {
        using var dir = new TempProject();
        dir.Write("a.yaml", "include: [b.yaml]\nservices:\n  a:\n    image: busybox\n");
        dir.Write("b.yaml", "include: [a.yaml]\nservices:\n  b:\n    image: busybox\n");
        dir.Write("compose.yaml", "include: [a.yaml]\n");

        var ex = Assert.Throws<ComposeException>(() => Load(dir));

        Assert.Contains("include cycle detected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_MissingFile_NamesTheEntry()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "include:\n  - nothere.yaml\nservices:\n  a:\n    image: busybox\n");

        var ex = Assert.Throws<ComposeException>(() => Load(dir));

        Assert.Contains("compose.yaml:2: include[0].path: open", ex.Message, StringComparison.Ordinal);
    }
}

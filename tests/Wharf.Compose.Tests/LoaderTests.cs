using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Tests;

public sealed class LoaderTests
{
    private static ComposeProject Load(TempProject dir, Dictionary<string, string>? env = null, List<string>? files = null, string? name = null, List<string>? profiles = null, List<string>? envFiles = null) =>
        new ComposeLoader().Load(new LoadOptions
        {
            CurrentDirectory = dir.Dir,
            Environment = k => env?.GetValueOrDefault(k),
            Files = files ?? [],
            ProjectName = name,
            Profiles = profiles ?? [],
            EnvFiles = envFiles ?? [],
        });

    [Fact]
    public void Load_ShortSyntax_NormalisesToLongForm()
    {
        using var dir = new TempProject("My Demo.App");
        dir.Write("compose.yaml", """
            services:
              web:
                image: busybox
                command: sh -c "echo 'hi there'"
                environment:
                  - A=1
                  - B
                ports:
                  - "127.0.0.1:8080:80"
                  - "9000-9001:90-91/udp"
                  - 5000
                volumes:
                  - data:/data:ro
                  - ./src:/src
                  - /anon
                depends_on: [db]
                stop_grace_period: 1m30s
              db:
                image: busybox
            volumes:
              data:
            """);

        var project = Load(dir, new() { ["B"] = "from-env" });

        Assert.Equal("mydemoapp", project.Name);
        var web = project.Service("web")!;
        Assert.Equal(["sh", "-c", "echo 'hi there'"], web.Command);
        Assert.Equal("1", web.Environment["A"]);
        Assert.Equal("from-env", web.Environment["B"]);
        Assert.Equal(new PortConfig(80, "8080", "127.0.0.1"), web.Ports[0]);
        Assert.Equal(new PortConfig(90, "9000", null, "udp"), web.Ports[1]);
        Assert.Equal(new PortConfig(91, "9001", null, "udp"), web.Ports[2]);
        Assert.Equal(new PortConfig(5000, null, null), web.Ports[3]);
        Assert.Equal(new ServiceVolume("volume", "data", "/data", true) { VolumeSection = true }, web.Volumes[0]);
        Assert.Equal(new ServiceVolume("bind", Path.Combine(dir.Dir, "src"), "/src") { BindSection = true, BindCreateHostPathDeclared = true }, web.Volumes[1]);
        Assert.Equal(new ServiceVolume("volume", null, "/anon") { VolumeSection = true }, web.Volumes[2]);
        Assert.Equal(DependsOn.Started, web.DependsOn["db"].Condition);
        Assert.Equal(TimeSpan.FromSeconds(90), web.StopGracePeriod);
        Assert.Equal("mydemoapp_data", project.Volumes["data"].Name);
        Assert.Equal("mydemoapp_default", project.Networks["default"].Name);
    }

    [Fact]
    public void Load_ProjectName_PrecedenceFlagThenEnvThenKeyThenDirectory()
    {
        using var dir = new TempProject("dirname");
        dir.Write("compose.yaml", "name: fromkey\nservices:\n  a:\n    image: busybox\n");
        Assert.Equal("fromflag", Load(dir, new() { ["COMPOSE_PROJECT_NAME"] = "fromenv" }, name: "fromflag").Name);
        Assert.Equal("fromenv", Load(dir, new() { ["COMPOSE_PROJECT_NAME"] = "fromenv" }).Name);
        Assert.Equal("fromkey", Load(dir).Name);
        Assert.Throws<ComposeException>(() => Load(dir, name: "Bad Name"));
    }

    [Fact]
    public void Load_DotEnvAndEnvFile_FeedInterpolationAndEnvironment()
    {
        using var dir = new TempProject();
        dir.Write(".env", "TAG=1.0\n# comment\nQUOTED=\"a b\"\n");
        dir.Write("other.env", "TAG=2.0\n");
        dir.Write("web.env", "FROM_FILE=yes\nOVERRIDDEN=file\n");
        dir.Write("compose.yaml", """
            services:
              web:
                image: "busybox:${TAG}"
                env_file: web.env
                environment:
                  OVERRIDDEN: inline
                  Q: ${QUOTED}
            """);

        var project = Load(dir);
        var web = project.Service("web")!;
        Assert.Equal("busybox:1.0", web.Image);
        Assert.Equal("yes", web.Environment["FROM_FILE"]);
        Assert.Equal("inline", web.Environment["OVERRIDDEN"]);
        Assert.Equal("a b", web.Environment["Q"]);
        Assert.Equal("busybox:2.0", Load(dir, envFiles: ["other.env"]).Service("web")!.Image);
        Assert.Equal("busybox:3", Load(dir, new() { ["TAG"] = "3" }).Service("web")!.Image);
    }

    [Fact]
    public void Load_SeveralFiles_MergeBySpecRules()
    {
        using var dir = new TempProject();
        var a = dir.Write("a.yaml", """
            services:
              web:
                image: busybox
                command: ["echo", "a"]
                environment: { A: "1", B: "1" }
                ports: ["80:80"]
                volumes: ["/data", "./x:/x"]
                labels: [one=1]
            """);
        var b = dir.Write("b.yaml", """
            services:
              web:
                command: echo b
                environment: [B=2, C=3]
                ports: ["81:81"]
                volumes: ["./y:/x"]
                labels: { two: "2" }
            """);

        var web = Load(dir, files: [a, b]).Service("web")!;

        Assert.Equal(["echo", "b"], web.Command);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "2", ["C"] = "3" }, web.Environment);
        Assert.Equal([80, 81], web.Ports.Select(p => p.Target));
        Assert.Equal(2, web.Volumes.Count);
        Assert.Equal(Path.Combine(dir.Dir, "y"), web.Volumes.Single(v => v.Target == "/x").Source);
        Assert.Equal(["one", "two"], web.Labels.Keys);
    }

    [Fact]
    public void Load_Extends_InheritsAndOverrides()
    {
        using var dir = new TempProject();
        dir.Write("base.yaml", "services:\n  common:\n    image: busybox\n    environment: {X: base, Y: base}\n");
        dir.Write("compose.yaml", """
            services:
              local:
                image: busybox
                user: "1000"
              web:
                extends: local
                command: ["true"]
              other:
                extends: { file: base.yaml, service: common }
                environment: { Y: mine }
            """);

        var project = Load(dir);
        Assert.Equal("1000", project.Service("web")!.User);
        Assert.Equal(["true"], project.Service("web")!.Command);
        Assert.Equal("base", project.Service("other")!.Environment["X"]);
        Assert.Equal("mine", project.Service("other")!.Environment["Y"]);
    }

    [Fact]
    public void Load_Profiles_OnlyEnabledServicesAreActive()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  app:\n    image: busybox\n  debug:\n    image: busybox\n    profiles: [dev]\n");
        Assert.Equal(["app"], Load(dir).ServiceNames);
        Assert.Equal(["app", "debug"], Load(dir, profiles: ["dev"]).ServiceNames);
        Assert.Equal(["app", "debug"], Load(dir, new() { ["COMPOSE_PROFILES"] = "dev" }).ServiceNames);
    }

    [Theory]
    [InlineData("services:\n  web:\n    image: busybox\n    imagee: x\n", "compose.yaml:4", "services.web.imagee")]
    [InlineData("services:\n  web:\n    image: busybox\n    ports: 80\n", "compose.yaml:4", "services.web.ports")]
    [InlineData("services:\n  web:\n    image: busybox\n    depends_on: [db]\n  db:\n    image: busybox\n    depends_on: [web]\n", "compose.yaml", "dependency cycle")]
    [InlineData("services:\n  web:\n    image: ${IMG:?set IMG}\n", "compose.yaml:3", "set IMG")]
    [InlineData("services:\n  web:\n    image: busybox\n    env_file: missing.env\n", "compose.yaml:4", "missing.env")]
    [InlineData("services:\n  web:\n    image: busybox\n    networks: [default, front]\n", "compose.yaml:4: services.web.networks:", "undefined network front")]
    [InlineData("services:\n  web:\n    image: busybox\n    networks:\n      default:\n      front: {aliases: [x]}\n", "compose.yaml:6: services.web.networks:", "undefined network front")]
    [InlineData("services:\n  web:\n    image: busybox\n    volumes:\n      - /tmp:/t\n      - data:/d\n", "compose.yaml:6: services.web.volumes:", "undefined volume data")]
    [InlineData("services:\n  web:\n    image: busybox\n    volumes:\n      - {type: volume, source: data, target: /d}\n", "compose.yaml:5: services.web.volumes:", "undefined volume data")]
    [InlineData("services:\n  web:\n    image: busybox\n    secrets: [tok]\n", "compose.yaml:4: services.web.secrets:", "undefined secret tok")]
    [InlineData("services:\n  web:\n    image: busybox\n    depends_on:\n      db: {condition: service_started}\n", "compose.yaml:5: services.web.depends_on:", "undefined service \"db\"")]
    [InlineData("services:\n  web:\n    image: busybox\n    links: [\"db:x\"]\n", "compose.yaml:4: services.web.links:", "undefined service \"db\"")]
    [InlineData("services:\n  web:\n    image: busybox\n    volumes_from: [\"db:ro\"]\n", "compose.yaml:4: services.web.volumes_from:", "undefined service \"db\"")]
    [InlineData("services:\n  web:\n    image: busybox\nnetworks:\n  back:\n    drivr: bridge\n", "compose.yaml:6", "networks.back.drivr")]
    [InlineData("services:\n  web:\n    image: busybox\nvolumes:\n  data:\n    externall: true\n", "compose.yaml:6", "volumes.data.externall")]
    [InlineData("services:\n  web:\n    image: busybox\n    privileged: maybe\n", "compose.yaml:4", "must be a boolean")]
    [InlineData("services:\n  web:\n    image: busybox\n    depends_on:\n      db: {condition: service_maybe}\n  db:\n    image: busybox\n", "compose.yaml:5", "invalid condition")]
    [InlineData("services:\n  web:\n    command: x\n", "compose.yaml:3", "neither an image nor a build")]
    public void Load_BadInput_NamesFileLineAndKey(string yaml, string where, string what)
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", yaml);

        var ex = Assert.Throws<ComposeException>(() => Load(dir));

        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LongSyntaxAndTopLevelObjects_AreMapped()
    {
        using var dir = new TempProject();
        dir.Write("secret.txt", "s3cret");
        dir.Write("compose.yaml", """
            services:
              web:
                image: busybox
                networks:
                  front:
                    aliases: [www]
                    ipv4_address: 172.28.0.10
                depends_on:
                  db: { condition: service_healthy }
                healthcheck:
                  test: wget -q localhost
                  interval: 10s
                  retries: 3
                deploy:
                  replicas: 2
                  resources: { limits: { memory: 64m, cpus: "0.5" } }
                ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 65535 }
                secrets: [token]
                restart: unless-stopped
                cap_add: [NET_ADMIN]
                init: true
                extra_hosts: ["host1:10.0.0.1"]
              db:
                image: busybox
                volumes:
                  - type: tmpfs
                    target: /tmp
                    tmpfs: { size: 1m }
            networks:
              front:
                ipam: { config: [ { subnet: 172.28.0.0/16 } ] }
              outside:
                external: true
            secrets:
              token: { file: ./secret.txt }
            """);

        var project = Load(dir);
        var web = project.Service("web")!;
        Assert.Equal(["www"], web.Networks["front"].Aliases);
        Assert.Equal("172.28.0.10", web.Networks["front"].Ipv4Address);
        Assert.Equal(DependsOn.Healthy, web.DependsOn["db"].Condition);
        Assert.Equal(["CMD-SHELL", "wget -q localhost"], web.Healthcheck!.Test);
        Assert.Equal(2, web.Replicas);
        Assert.Equal(64L << 20, web.MemoryLimit);
        Assert.Equal(0.5, web.CpuLimit);
        Assert.Equal(new UlimitConfig(1024, 2048), web.Ulimits["nofile"]);
        Assert.Equal(new UlimitConfig(65535, 65535, Single: true), web.Ulimits["nproc"]);
        Assert.Equal("/run/secrets/token", web.Secrets[0].Target);
        Assert.Equal(["host1:10.0.0.1"], web.ExtraHosts);
        Assert.Equal(1L << 20, project.Service("db")!.Volumes[0].TmpfsSize);
        Assert.Equal("outside", project.Networks["outside"].Name);
        Assert.True(project.Networks["outside"].External);
        Assert.Equal(Path.Combine(dir.Dir, "secret.txt"), project.Secrets["token"].File);
    }
}

using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Spec;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class SpecBuilderTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("wharf-spec-").FullName;

    public SpecBuilderTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc", "passwd"),
            "root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www:/var/www:/bin/false\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc", "group"), "root:x:0:\nwheel:x:10:root\nwww-data:x:33:\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private static ContainerRecord Record(Action<ContainerRecord>? change = null)
    {
        var c = new ContainerRecord
        {
            Id = new string('a', 64),
            Name = "test",
            ImageId = "sha256:" + new string('b', 64),
            Path = "/bin/sh",
            Args = ["-c", "echo hi"],
        };
        c.Config.Hostname = "aaaaaaaaaaaa";
        change?.Invoke(c);
        return c;
    }

    private SpecInputs Inputs(string? netns = null, ulong nofile = 1 << 20, bool swap = true) =>
        new(_rootfs, "/data/hostname", "/data/hosts", "/data/resolv.conf", netns, nofile, "/wharf/" + new string('a', 64), swap);

    private RuntimeSpec Build(Action<ContainerRecord>? change = null, ImageConfig? image = null, SpecInputs? inputs = null) =>
        SpecBuilder.Build(Record(change), image ?? new ImageConfig(), inputs ?? Inputs());

    [Fact]
    public void Build_Defaults_HasDockersFourteenCapabilitiesInAllSets()
    {
        var caps = Build().Process.Capabilities!;

        string[] expected =
        [
            "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_MKNOD",
            "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID",
            "CAP_SYS_CHROOT",
        ];
        Assert.Equal(expected, caps.Bounding.Order(StringComparer.Ordinal));
        Assert.Equal(caps.Bounding, caps.Effective);
        Assert.Equal(caps.Bounding, caps.Permitted);
    }

    [Fact]
    public void Build_CapAddAndDrop_AppliesBothCaseInsensitiveWithOrWithoutPrefix()
    {
        var caps = Build(c =>
        {
            c.Host.CapAdd = ["net_admin", "CAP_SYS_PTRACE"];
            c.Host.CapDrop = ["chown", "Cap_Kill"];
        }).Process.Capabilities!.Bounding;

        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.Contains("CAP_SYS_PTRACE", caps);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.DoesNotContain("CAP_KILL", caps);
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void Build_CapDropAllThenAdd_KeepsOnlyAdded()
    {
        var caps = Build(c =>
        {
            c.Host.CapDrop = ["ALL"];
            c.Host.CapAdd = ["NET_BIND_SERVICE"];
        }).Process.Capabilities!.Bounding;

        Assert.Equal(["CAP_NET_BIND_SERVICE"], caps);
    }

    [Fact]
    public void Build_CapAddAll_HasEveryCapabilityExceptDropped()
    {
        var caps = Build(c =>
        {
            c.Host.CapAdd = ["all"];
            c.Host.CapDrop = ["SYS_ADMIN"];
        }).Process.Capabilities!.Bounding;

        Assert.Equal(Capabilities.All.Count - 1, caps.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_SYS_MODULE", caps);
    }

    [Fact]
    public void Validate_UnknownCapability_ThrowsInvalidArgument()
    {
        var e = Assert.Throws<EngineException>(() => Capabilities.Validate(["FOO"], []));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("unknown capability: \"CAP_FOO\"", e.Message, StringComparison.Ordinal);
        Assert.Throws<EngineException>(() => Build(c => c.Host.CapDrop = ["bogus"]));
    }

    [Fact]
    public void Build_Env_DefaultsFirstThenImageThenContainerReplacingSameKey()
    {
        var image = new ImageConfig { Config = new ContainerDefaults { Env = ["PATH=/img/bin", "A=image", "B=image"] } };
        var env = Build(c =>
        {
            c.Config.Tty = true;
            c.Config.Env = ["B=container", "C=container", "A"];
        }, image).Process.Env;

        Assert.Equal(["PATH=/img/bin", "HOSTNAME=aaaaaaaaaaaa", "TERM=xterm", "B=container", "C=container"], env);
    }

    [Fact]
    public void Build_NoPathAnywhere_AddsDefaultPathAndNoTermWithoutTty()
    {
        var env = Build().Process.Env;

        Assert.Contains("PATH=" + SpecBuilder.DefaultPath, env);
        Assert.DoesNotContain(env, e => e.StartsWith("TERM=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/work", "/img", "/work")]
    [InlineData("", "/img", "/img")]
    [InlineData("", null, "/")]
    public void Build_Cwd_ContainerThenImageThenRoot(string containerDir, string? imageDir, string expected)
    {
        var image = new ImageConfig { Config = new ContainerDefaults { WorkingDir = imageDir } };
        Assert.Equal(expected, Build(c => c.Config.WorkingDir = containerDir, image).Process.Cwd);
    }

    [Fact]
    public void Build_ArgsAndHostname_ComeFromRecord()
    {
        var spec = Build();

        Assert.Equal(["/bin/sh", "-c", "echo hi"], spec.Process.Args);
        Assert.Equal("aaaaaaaaaaaa", spec.Hostname);
        Assert.Equal(_rootfs, spec.Root.Path);
        Assert.False(spec.Root.Readonly);
        Assert.False(spec.Process.NoNewPrivileges);
    }

    [Fact]
    public void Build_EmptyPath_ThrowsInvalid()
    {
        Assert.Throws<EngineException>(() => Build(c => c.Path = ""));
    }

    [Fact]
    public void Build_UserByNameFromImage_ResolvesAgainstRootfs()
    {
        var image = new ImageConfig { Config = new ContainerDefaults { User = "www-data" } };
        var user = Build(image: image).Process.User;

        Assert.Equal(33u, user.Uid);
        Assert.Equal(33u, user.Gid);
    }

    [Fact]
    public void Build_DefaultRoot_GetsSupplementaryGroupsListingRoot()
    {
        var user = Build().Process.User;

        Assert.Equal(0u, user.Uid);
        Assert.Equal([10u], user.AdditionalGids!);
    }

    [Fact]
    public void Build_Tty_SetsTerminalAndConsoleSize()
    {
        var process = Build(c =>
        {
            c.Config.Tty = true;
            c.Host.ConsoleHeight = 40;
            c.Host.ConsoleWidth = 120;
        }).Process;

        Assert.True(process.Terminal);
        Assert.Equal(new SpecBox(40, 120), process.ConsoleSize);
        Assert.Null(Build().Process.ConsoleSize);
    }

    [Theory]
    [InlineData(20000UL, 20000UL)]
    [InlineData(4_000_000UL, 1048576UL)]
    public void Build_Nofile_ClampedToHostHardLimit(ulong hostHard, ulong expected)
    {
        var rlimit = Assert.Single(Build(inputs: Inputs(nofile: hostHard)).Process.Rlimits!);

        Assert.Equal("RLIMIT_NOFILE", rlimit.Type);
        Assert.Equal(expected, rlimit.Hard);
        Assert.Equal(expected, rlimit.Soft);
    }

    [Fact]
    public void Build_Mounts_DockerDefaultsThenEtcBinds()
    {
        var mounts = Build(c => c.Host.ShmSize = 1024 * 1024).Mounts;

        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"],
            mounts.Select(m => m.Destination));
        var shm = mounts.Single(m => m.Destination == "/dev/shm");
        Assert.Contains("size=1048576", shm.Options!);
        Assert.Contains("mode=1777", shm.Options!);
        Assert.Contains("ro", mounts.Single(m => m.Destination == "/sys").Options!);
        var hosts = mounts.Single(m => m.Destination == "/etc/hosts");
        Assert.Equal("/data/hosts", hosts.Source);
        Assert.Equal(["rbind", "rprivate"], hosts.Options!);
        Assert.Contains("gid=5", mounts.Single(m => m.Destination == "/dev/pts").Options!);
    }

    [Fact]
    public void Build_NoShmSize_Uses64MiB()
    {
        var shm = Build().Mounts.Single(m => m.Destination == "/dev/shm");
        Assert.Contains("size=67108864", shm.Options!);
    }

    [Fact]
    public void Build_Unprivileged_HasMaskedAndReadonlyPathsAndDeviceWhitelist()
    {
        var linux = Build().Linux;

        Assert.Contains("/proc/kcore", linux.MaskedPaths);
        Assert.Contains("/sys/firmware", linux.MaskedPaths);
        Assert.Equal(12, linux.MaskedPaths.Count); // Docker 28 also masks /proc/interrupts
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], linux.ReadonlyPaths);
        var devices = linux.Resources!.Devices;
        Assert.False(devices[0].Allow);
        Assert.Null(devices[0].Type);
        Assert.Contains(devices, d => d.Allow && d.Type == "c" && d.Major == 1 && d.Minor == 3 && d.Access == "rwm");
        Assert.Contains(devices, d => d.Allow && d.Type == "c" && d.Major == 136 && d.Minor is null);
        Assert.Contains(devices, d => d.Allow && d.Type == "b" && d.Major is null && d.Access == "m");
        Assert.DoesNotContain(devices, d => d.Allow && d.Type == "b" && d.Access.Contains('r', StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Privileged_NoMaskedPathsAllCapsAllDevices()
    {
        var spec = Build(c => c.Host.Privileged = true);

        Assert.Empty(spec.Linux.MaskedPaths);
        Assert.Empty(spec.Linux.ReadonlyPaths);
        Assert.Equal(Capabilities.All, spec.Process.Capabilities!.Bounding);
        var rule = Assert.Single(spec.Linux.Resources!.Devices);
        Assert.True(rule.Allow);
        Assert.DoesNotContain("ro", spec.Mounts.Single(m => m.Destination == "/sys").Options!);
    }

    [Fact]
    public void Build_Namespaces_NewNetnsByDefaultJoinedWithPath()
    {
        var fresh = Build().Linux.Namespaces;
        Assert.Equal(["pid", "ipc", "uts", "mount", "network"], fresh.Select(n => n.Type));
        Assert.All(fresh, n => Assert.Null(n.Path));

        var joined = Build(inputs: Inputs(netns: "/run/netns/x")).Linux.Namespaces;
        Assert.Equal("/run/netns/x", joined.Single(n => n.Type == "network").Path);
    }

    [Fact]
    public void Build_HostNetwork_HasNoNetworkNamespace()
    {
        var namespaces = Build(c => c.Host.NetworkMode = "host", inputs: Inputs(netns: "/ignored")).Linux.Namespaces;

        Assert.DoesNotContain(namespaces, n => n.Type == "network");
        Assert.Contains(namespaces, n => n.Type == "pid");
    }

    [Fact]
    public void Build_Resources_MapsMemoryCpuAndPids()
    {
        var resources = Build(c =>
        {
            c.Host.Memory = 64 * 1024 * 1024;
            c.Host.MemoryReservation = 32 * 1024 * 1024;
            c.Host.NanoCpus = 1_500_000_000;
            c.Host.CpuShares = 512;
            c.Host.CpusetCpus = "0";
            c.Host.PidsLimit = 100;
        }).Linux.Resources!;

        Assert.Equal(64 * 1024 * 1024, resources.Memory!.Limit);
        Assert.Equal(32 * 1024 * 1024, resources.Memory.Reservation);
        Assert.Equal(128 * 1024 * 1024, resources.Memory.Swap);
        Assert.Equal(150_000, resources.Cpu!.Quota);
        Assert.Equal(100_000UL, resources.Cpu.Period);
        Assert.Equal(512UL, resources.Cpu.Shares);
        Assert.Equal("0", resources.Cpu.Cpus);
        Assert.Equal(100, resources.Pids!.Limit);
    }

    [Fact]
    public void Build_NoLimits_OmitsMemoryCpuPids()
    {
        var resources = Build().Linux.Resources!;

        Assert.Null(resources.Memory);
        Assert.Null(resources.Cpu);
        Assert.Null(resources.Pids);
    }

    [Fact]
    public void Build_SwapUnsupported_OmitsSwap()
    {
        var memory = Build(c => c.Host.Memory = 1 << 26, inputs: Inputs(swap: false)).Linux.Resources!.Memory!;

        Assert.Equal(1 << 26, memory.Limit);
        Assert.Null(memory.Swap);
    }

    [Fact]
    public void Build_ReadonlyRootfsAndCgroupsPath_Applied()
    {
        var spec = Build(c => c.Host.ReadonlyRootfs = true);

        Assert.True(spec.Root.Readonly);
        Assert.Equal("/wharf/" + new string('a', 64), spec.Linux.CgroupsPath);
    }

    [Fact]
    public void Build_SerialisedWithCoreJsonContext_UsesRuncKeyNames()
    {
        var spec = Build(c =>
        {
            c.Config.Tty = true;
            c.Host.ConsoleHeight = 24;
            c.Host.ConsoleWidth = 80;
            c.Host.Memory = 1 << 26;
            c.Host.PidsLimit = 10;
        });

        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal("1.0.2", root.GetProperty("ociVersion").GetString());
        var process = root.GetProperty("process");
        Assert.True(process.GetProperty("terminal").GetBoolean());
        Assert.Equal(24, process.GetProperty("consoleSize").GetProperty("height").GetInt32());
        Assert.Equal(0, process.GetProperty("user").GetProperty("uid").GetInt32());
        Assert.Equal(JsonValueKind.Array, process.GetProperty("capabilities").GetProperty("bounding").ValueKind);
        Assert.Equal("RLIMIT_NOFILE", process.GetProperty("rlimits")[0].GetProperty("type").GetString());
        Assert.False(process.GetProperty("noNewPrivileges").GetBoolean());
        Assert.Equal(_rootfs, root.GetProperty("root").GetProperty("path").GetString());
        Assert.Equal("/proc", root.GetProperty("mounts")[0].GetProperty("destination").GetString());
        var linux = root.GetProperty("linux");
        Assert.Equal("pid", linux.GetProperty("namespaces")[0].GetProperty("type").GetString());
        Assert.False(linux.GetProperty("namespaces")[4].TryGetProperty("path", out _));
        Assert.Equal(1 << 26, linux.GetProperty("resources").GetProperty("memory").GetProperty("limit").GetInt64());
        Assert.Equal(10, linux.GetProperty("resources").GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.False(linux.GetProperty("resources").GetProperty("devices")[1].TryGetProperty("major", out _));
        Assert.True(linux.TryGetProperty("maskedPaths", out _));
        Assert.True(linux.TryGetProperty("readonlyPaths", out _));
        Assert.True(linux.TryGetProperty("cgroupsPath", out _));
    }
}

using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Oci;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Security;
using Wharf.Engine.Containers.Spec;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class SecuritySpecTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("wharf-sec-").FullName;

    public SecuritySpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc", "group"), "root:x:0:\nwheel:x:10:root\naudio:x:29:\nnogroup:x:65534:\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private RuntimeSpec Build(Action<HostSettings>? host = null, SpecInputs? inputs = null)
    {
        var c = new ContainerRecord { Id = new string('a', 64), Name = "t", ImageId = "sha256:" + new string('b', 64), Path = "/bin/sh" };
        host?.Invoke(c.Host);
        return SpecBuilder.Build(c, new ImageConfig(), inputs ?? Inputs());
    }

    private SpecInputs Inputs(IReadOnlyList<string>? hostCaps = null, IReadOnlyList<HostDevice>? all = null, IReadOnlyList<ResolvedDevice>? devices = null) =>
        new(_rootfs, "/h", "/hosts", "/r", null, 1024, "/wharf/x", true, hostCaps, all, devices);

    private static bool Allows(SpecSeccomp filter, string syscall) =>
        filter.Syscalls!.Any(r => r.Action == "SCMP_ACT_ALLOW" && r.Names.Contains(syscall) && r.Args is null);

    [Fact]
    public void Build_Default_SeccompDeniesWithEpermAndAllowsShellButNotNamespaceOrKeyringCalls()
    {
        var seccomp = Build().Linux.Seccomp!;

        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        foreach (var allowed in new[] { "read", "write", "openat", "execve", "wait4", "rt_sigaction", "connect", "getdents64" })
            Assert.True(Allows(seccomp, allowed), allowed);
        foreach (var blocked in new[] { "unshare", "mount", "umount2", "keyctl", "add_key", "request_key", "setns", "reboot", "init_module", "settimeofday" })
            Assert.False(seccomp.Syscalls!.Any(r => r.Names.Contains(blocked)), blocked);
        // clone only without namespace flags; clone3 answers ENOSYS so libc falls back to clone.
        var clone = Assert.Single(seccomp.Syscalls!, r => r.Names.Contains("clone"));
        Assert.Equal("SCMP_CMP_MASKED_EQ", clone.Args![0].Op);
        Assert.Equal(DefaultSeccompProfile.NamespaceCloneFlags, clone.Args[0].Value);
        Assert.Equal(0x10000000UL, DefaultSeccompProfile.NamespaceCloneFlags & 0x10000000UL); // CLONE_NEWUSER included
        var clone3 = Assert.Single(seccomp.Syscalls!, r => r.Names.Contains("clone3"));
        Assert.Equal(38u, clone3.ErrnoRet);
        Assert.Contains(seccomp.Syscalls!, r => r.Names.Contains("personality") && r.Args![0].Value == 0xffffffff);
    }

    [Fact]
    public void Build_CapSysAdminAdded_SeccompAllowsMountUnshareAndPlainClone()
    {
        var seccomp = Build(h => h.CapAdd = ["SYS_ADMIN"]).Linux.Seccomp!;

        Assert.True(Allows(seccomp, "mount"));
        Assert.True(Allows(seccomp, "unshare"));
        Assert.True(Allows(seccomp, "setns"));
        Assert.True(Allows(seccomp, "clone"));
        Assert.DoesNotContain(seccomp.Syscalls!, r => r.Names.Contains("clone3") && r.Action == "SCMP_ACT_ERRNO");
    }

    [Theory]
    [InlineData("CAP_SYS_PTRACE", "process_vm_readv")]
    [InlineData("SYS_TIME", "settimeofday")]
    [InlineData("sys_module", "init_module")]
    [InlineData("SYS_BOOT", "reboot")]
    public void Build_CapabilityAdded_SeccompAllowsItsSyscalls(string cap, string syscall)
    {
        Assert.False(Allows(Build().Linux.Seccomp!, syscall) && syscall != "process_vm_readv");
        Assert.True(Allows(Build(h => h.CapAdd = [cap]).Linux.Seccomp!, syscall));
    }

    [Fact]
    public void Build_PrivilegedOnLimitedHost_GetsOnlyHostCapabilitiesNoSeccompNoMasksAndAllDevices()
    {
        var hostCaps = Capabilities.All.Where(c => c != "CAP_SYS_RESOURCE").ToList();
        var devices = new[] { new HostDevice("/dev/loop0", 'b', 7, 0, 0x1b0, 0, 6), new HostDevice("/dev/kmsg", 'c', 1, 11, 0x1a4, 0, 0) };
        var spec = Build(h => h.Privileged = true, Inputs(hostCaps, devices));

        Assert.Equal(hostCaps, spec.Process.Capabilities!.Bounding);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", spec.Process.Capabilities.Effective);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Empty(spec.Linux.MaskedPaths);
        Assert.Empty(spec.Linux.ReadonlyPaths);
        Assert.Contains(spec.Mounts, m => m.Destination == "/sys" && m.Options!.Contains("rw"));
        Assert.Equal(["/dev/loop0", "/dev/kmsg"], spec.Linux.Devices!.Select(d => d.Path));
        Assert.Equal(7, spec.Linux.Devices![0].Major);
        Assert.Contains(spec.Linux.Resources!.Devices, r => r.Allow && r.Type is null && r.Access == "rwm");
    }

    [Fact]
    public void Compute_CapAddAllOnLimitedHost_LeavesOutWhatTheHostLacks()
    {
        var hostCaps = Capabilities.All.Where(c => c != "CAP_SYS_RESOURCE").ToList();
        var caps = Capabilities.Compute(["ALL"], ["NET_RAW"], privileged: false, hostCaps);

        Assert.DoesNotContain("CAP_SYS_RESOURCE", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.Contains("CAP_SYS_ADMIN", caps);
    }

    [Fact]
    public void FromMask_CapBnd_NamesTheSetBits()
    {
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], Capabilities.FromMask(0b10_0001));
        Assert.Equal(41, Capabilities.FromMask(0x1ffffffffff).Count);
    }

    [Fact]
    public void Validate_UnknownCapability_NamesIt()
    {
        var e = Assert.Throws<EngineException>(() => Capabilities.Validate(["CAP_FOO"], []));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("unknown capability: \"CAP_FOO\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MaskedAndReadonlyPaths_AreDockersLists()
    {
        var linux = Build().Linux;
        Assert.Equal(
            ["/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
             "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"],
            linux.MaskedPaths);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], linux.ReadonlyPaths);
    }

    [Fact]
    public void Build_SecurityOptions_UnconfinedNoNewPrivilegesAndSystemPaths()
    {
        var spec = Build(h => h.SecurityOpt = ["seccomp=unconfined", "no-new-privileges:true", "systempaths=unconfined", "apparmor=docker-default"]);

        Assert.Null(spec.Linux.Seccomp);
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Empty(spec.Linux.MaskedPaths);
        Assert.False(Build().Process.NoNewPrivileges);
    }

    [Fact]
    public void Build_CustomProfile_IsCompiledWithArchMapAndCapabilityConditions()
    {
        const string profile = """
            {"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]},{"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],
             "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
                         {"name":"chmod","action":"SCMP_ACT_ERRNO","includes":{"caps":["CAP_SYS_ADMIN"]}}]}
            """;
        var seccomp = Build(h => h.SecurityOpt = ["seccomp=" + profile]).Linux.Seccomp!;

        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        var rule = Assert.Single(seccomp.Syscalls!);
        Assert.Equal(["mkdir", "mkdirat"], rule.Names);
        Assert.Equal(13u, rule.ErrnoRet);
        Assert.Equal(2, seccomp.Architectures!.Count);
    }

    [Theory]
    [InlineData("seccomp={not json", "Decoding seccomp profile failed: ")]
    [InlineData("seccomp={\"defaultAction\":\"SCMP_ACT_NOPE\"}", "Decoding seccomp profile failed: invalid default action")]
    [InlineData("seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"BAD\"}]}]}", "Decoding seccomp profile failed: invalid operator")]
    [InlineData("no-new-privileges=maybe", "invalid --security-opt 2: \"no-new-privileges=maybe\"")]
    [InlineData("bogus", "invalid --security-opt 1: \"bogus\"")]
    [InlineData("what=ever", "invalid --security-opt 2: \"what=ever\"")]
    public void Parse_BadSecurityOpt_IsInvalidArgumentWithDockersWording(string opt, string expected)
    {
        var e = Assert.Throws<EngineException>(() => SecurityOptions.Parse([opt]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LabelAndApparmor_AreAcceptedWithWarnings()
    {
        var options = SecurityOptions.Parse(["label=disable", "apparmor=unconfined", "seccomp=builtin"]);
        Assert.Equal(SeccompMode.Default, options.Seccomp);
        Assert.Equal(2, options.Warnings.Count);
    }

    [Fact]
    public void Build_DevicesSysctlsAndGroupAdd_AreInTheSpec()
    {
        var device = new ResolvedDevice(new HostDevice("/dev/fuse", 'c', 10, 229, 0x1b6, 0, 0), "/dev/myfuse", "rw");
        var spec = Build(h =>
        {
            h.Sysctls = new() { ["net.ipv4.ip_forward"] = "1", ["kernel.shmmax"] = "1000000" };
            h.GroupAdd = ["audio", "1234", "nogroup"];
        }, Inputs(devices: [device]));

        var d = Assert.Single(spec.Linux.Devices!);
        Assert.Equal(("/dev/myfuse", "c", 10L, 229L, 0x1b6u), (d.Path, d.Type, d.Major, d.Minor, d.FileMode!.Value));
        Assert.Contains(spec.Linux.Resources!.Devices, r => r.Allow && r.Type == "c" && r.Major == 10 && r.Minor == 229 && r.Access == "rw");
        Assert.Equal("1", spec.Linux.Sysctl!["net.ipv4.ip_forward"]);
        // root's own groups (wheel) stay, --group-add ones follow.
        Assert.Equal([10u, 29u, 1234u, 65534u], spec.Process.User.AdditionalGids);
    }

    [Fact]
    public void Build_UnknownGroupAdd_IsInvalidArgument()
    {
        var e = Assert.Throws<EngineException>(() => Build(h => h.GroupAdd = ["nosuchgroup"]));
        Assert.Equal("Unable to find group nosuchgroup: no matching entries in group file", e.Message);
    }

    [Theory]
    [InlineData("kernel.msgmax", "bridge", null)]
    [InlineData("fs.mqueue.msg_max", "bridge", null)]
    [InlineData("net.core.somaxconn", "bridge", null)]
    [InlineData("net.core.somaxconn", "host", "sysctl \"net.core.somaxconn\" not allowed in host network namespace")]
    [InlineData("kernel.pid_max", "bridge", "sysctl \"kernel.pid_max\" is not in a separate kernel namespace")]
    [InlineData("vm.swappiness", "bridge", "sysctl \"vm.swappiness\" is not in a separate kernel namespace")]
    public void Validate_Sysctl_OnlyNamespacedOnes(string name, string network, string? error)
    {
        var sysctls = new Dictionary<string, string> { [name] = "1" };
        if (error is null)
        {
            Sysctls.Validate(sysctls, network);
            return;
        }
        Assert.Equal(error, Assert.Throws<EngineException>(() => Sysctls.Validate(sysctls, network)).Message);
    }

    [Fact]
    public void Serialize_SpecWithSeccompAndDevices_UsesOciFieldNames()
    {
        var spec = Build(h => h.Privileged = false, Inputs(devices: [new ResolvedDevice(new HostDevice("/dev/null", 'c', 1, 3, 0x1b6, 0, 0), "/dev/null2", "rwm")]));
        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);

        Assert.Contains("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,", json, StringComparison.Ordinal);
        Assert.Contains("\"devices\":[{\"path\":\"/dev/null2\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":438", json, StringComparison.Ordinal);
        Assert.Contains("\"op\":\"SCMP_CMP_MASKED_EQ\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DefaultProfile_FollowsArchitectureAndKernelConditions()
    {
        var arm = SeccompCompiler.Compile(DefaultSeccompProfile.Create(), Capabilities.Defaults.ToList(), "arm64", new Version(6, 1));
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], arm.Architectures);
        Assert.Contains(arm.Syscalls!, r => r.Names.Contains("set_tls"));
        Assert.DoesNotContain(arm.Syscalls!, r => r.Names.Contains("arch_prctl"));

        var x86 = SeccompCompiler.Compile(DefaultSeccompProfile.Create(), Capabilities.Defaults.ToList(), "amd64", new Version(6, 1));
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], x86.Architectures);
        Assert.Contains(x86.Syscalls!, r => r.Names.Contains("arch_prctl"));
        Assert.Contains(x86.Syscalls!, r => r.Names.Contains("ptrace"));

        var old = SeccompCompiler.Compile(DefaultSeccompProfile.Create(), Capabilities.Defaults.ToList(), "amd64", new Version(4, 4));
        Assert.DoesNotContain(old.Syscalls!, r => r.Names.Contains("ptrace"));
    }
}

using Wharf.Core.Oci;
using Wharf.Linux.Exec;

namespace Wharf.Linux.Tests;

/// <summary>The pure parts of the exec-without-runc path: runc's (Go's) executable lookup and its wording, the
/// environment runc builds, capability and rlimit names, the seccomp translation runc 1.1 does, and locating a
/// process's cgroups from mountinfo on v1, hybrid and v2 layouts.</summary>
public sealed class ExecPathPartsTests
{
    private static Func<string, string?> Files(params string[] executables) =>
        path => executables.Contains(path) ? null : path == "/etc/passwd" ? "permission denied" : $"stat {path}: no such file or directory";

    [Fact]
    public void Lookup_BareName_SearchesPathInOrder()
    {
        var probe = Files("/bin/sh", "/usr/bin/sh");
        Assert.Equal(("/usr/bin/sh", (string?)null), ExecutableLookup.Find("sh", "/usr/local/bin:/usr/bin:/bin", probe));
    }

    [Fact]
    public void Lookup_Missing_GivesGosWording()
    {
        Assert.Equal("exec: \"nope\": executable file not found in $PATH", ExecutableLookup.Find("nope", "/bin", Files()).Error);
        Assert.Equal("exec: \"/nope\": stat /nope: no such file or directory", ExecutableLookup.Find("/nope", "/bin", Files()).Error);
        Assert.Equal("exec: \"/etc/passwd\": permission denied", ExecutableLookup.Find("/etc/passwd", "/bin", Files()).Error);
    }

    [Fact]
    public void Lookup_EmptyPath_FindsNothingAndRelativeHitsAreRefused()
    {
        Assert.Equal("exec: \"sh\": executable file not found in $PATH", ExecutableLookup.Find("sh", "", Files("sh")).Error);
        Assert.Equal("exec: \"sh\": cannot run executable found relative to current directory", ExecutableLookup.Find("sh", ":/bin", Files("sh")).Error);
    }

    [Fact]
    public void Environment_LaterDuplicateOverwritesInPlace_AndBadEntriesAreRefused()
    {
        var (env, error) = ProcessEnvironment.Build(["A=1", "B=2", "A=3"]);
        Assert.Null(error);
        Assert.Equal(["A=3", "B=2"], env!);
        Assert.Equal("invalid environment variable: missing '='", ProcessEnvironment.Build(["NOEQUALS"]).Error);
        Assert.Equal("invalid environment variable: name cannot be empty", ProcessEnvironment.Build(["=x"]).Error);
    }

    [Fact]
    public void Home_FromPasswdByUid_SlashWhenAbsent()
    {
        const string passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
        Assert.Equal("/root", ProcessEnvironment.HomeOf(0, passwd));
        Assert.Equal("/home", ProcessEnvironment.HomeOf(65534, passwd));
        Assert.Equal("/", ProcessEnvironment.HomeOf(1000, passwd));
        Assert.Equal("/", ProcessEnvironment.HomeOf(0, null));
    }

    [Fact]
    public void Capabilities_NamesToMask_IgnoringUnknownAndAboveLastCap()
    {
        Assert.Equal(21, CapabilityNames.Number("CAP_SYS_ADMIN"));
        Assert.Null(CapabilityNames.Number("CAP_NOPE"));
        Assert.Equal((1UL << 0) | (1UL << 12), CapabilityNames.Mask(["CAP_CHOWN", "CAP_NET_ADMIN", "CAP_NOPE"], 40));
        Assert.Equal(0UL, CapabilityNames.Mask(["CAP_CHECKPOINT_RESTORE"], 39));
    }

    [Fact]
    public void Rlimits_NamesToResourceNumbers()
    {
        Assert.Equal(7, RlimitNames.Number("RLIMIT_NOFILE"));
        Assert.Equal(6, RlimitNames.Number("RLIMIT_NPROC"));
        Assert.Null(RlimitNames.Number("RLIMIT_NOPE"));
    }

    [Fact]
    public void Seccomp_TranslatesLikeRunc()
    {
        var spec = new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 1,
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
            Syscalls =
            [
                new SpecSyscall { Names = ["read", "write"], Action = "SCMP_ACT_ALLOW" },
                new SpecSyscall { Names = ["reboot"], Action = "SCMP_ACT_ERRNO" }, // = the default action: skipped
                new SpecSyscall { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 38 },
                new SpecSyscall
                {
                    Names = ["personality"], Action = "SCMP_ACT_ALLOW",
                    Args = [new SpecSyscallArg { Index = 0, Value = 0, Op = "SCMP_CMP_EQ" }, new SpecSyscallArg { Index = 0, Value = 8, Op = "SCMP_CMP_EQ" }],
                },
                new SpecSyscall
                {
                    Names = ["clone"], Action = "SCMP_ACT_ALLOW",
                    Args = [new SpecSyscallArg { Index = 0, Value = 0x7E020000, Op = "SCMP_CMP_MASKED_EQ" }],
                },
            ],
        };
        var rules = SeccompRules.Translate(spec, out var unsupported);
        Assert.Null(unsupported);
        Assert.Equal(0x00050001u, rules!.DefaultAction);
        Assert.Equal(["x86_64", "x86"], rules.Architectures);
        Assert.Equal(["read", "write", "clone3", "personality", "personality", "clone"], rules.Rules.Select(r => r.Syscall));
        Assert.Equal(0x00050026u, rules.Rules[2].Action);
        // Two conditions on the same argument: one rule each (runc's "old behaviour").
        Assert.Single(rules.Rules[3].Conditions);
        Assert.Equal(8UL, rules.Rules[4].Conditions[0].Value);
        Assert.Equal(new SeccompCondition(0, 7, 0x7E020000, 0), rules.Rules[5].Conditions[0]);
    }

    [Fact]
    public void Seccomp_FlagsAndNotify_AreLeftToRunc()
    {
        Assert.Null(SeccompRules.Translate(new SpecSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = ["SECCOMP_FILTER_FLAG_LOG"] }, out var why));
        Assert.Contains("flags", why);
        Assert.Null(SeccompRules.Translate(new SpecSeccomp { DefaultAction = "SCMP_ACT_NOTIFY" }, out why));
        Assert.Contains("SCMP_ACT_NOTIFY", why);
    }

    [Fact]
    public void Cgroups_HybridHost_EveryHierarchyFoundThroughMountinfo()
    {
        const string mountinfo =
            "30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n" +
            "31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n" +
            "32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n" +
            "35 30 0:31 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n" +
            "36 30 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        const string membership =
            "12:memory:/wharf/abc\n4:cpu,cpuacct:/wharf/abc\n1:name=systemd:/wharf/abc\n0::/system.slice/x\n";
        Assert.Equal(
            ["/sys/fs/cgroup/memory/wharf/abc", "/sys/fs/cgroup/cpu,cpuacct/wharf/abc", "/sys/fs/cgroup/systemd/wharf/abc", "/sys/fs/cgroup/unified/system.slice/x"],
            CgroupMembership.Directories(membership, CgroupMembership.ParseMounts(mountinfo)));
    }

    [Fact]
    public void Cgroups_V2HostAndSubtreeMount_PathIsRelativeToTheMountRoot()
    {
        const string mountinfo = "30 25 0:26 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        Assert.Equal(["/sys/fs/cgroup/pod1/c"], CgroupMembership.Directories("0::/kubepods/pod1/c\n", CgroupMembership.ParseMounts(mountinfo)));
        Assert.Empty(CgroupMembership.Directories("0::/elsewhere\n", CgroupMembership.ParseMounts(mountinfo)));
    }

    [Fact]
    public void SealedExecutable_IsNotWritableAndHoldsOurBinary()
    {
        if (Environment.UserName != "root")
            return; // open_tree/mount_setattr need CAP_SYS_ADMIN; the memfd fallback is exercised by the same check
        using var sealedCopy = SealedExecutable.Create();
        Assert.True(SealedExecutable.IsSealed(sealedCopy));
        var path = $"/proc/self/fd/{sealedCopy.DangerousGetHandle()}";
        Assert.Equal(File.ReadAllBytes("/proc/self/exe").Length, File.ReadAllBytes(path).Length);
        Assert.ThrowsAny<IOException>(() => File.OpenWrite(path).Dispose());
    }
}

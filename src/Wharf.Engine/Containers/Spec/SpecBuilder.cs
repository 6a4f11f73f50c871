using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers.Security;

namespace Wharf.Engine.Containers.Spec;

/// <summary>Builds the runc config.json for a container from small composable options, each a pure
/// <c>RuntimeSpec -&gt; RuntimeSpec</c> step, so tests (and future features) can apply or swap single steps.
/// Defaults follow what Docker gives a container: same mounts, capabilities, masked paths and devices.</summary>
public static class SpecBuilder
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Docker's /dev/shm size when ShmSize is unset: 64 MiB.</summary>
    public const long DefaultShmSize = 64L * 1024 * 1024;

    /// <summary>Docker raises RLIMIT_NOFILE to this; we clamp to the daemon's hard limit because an
    /// unprivileged-in-userns or limited host refuses to go above it.</summary>
    public const ulong DefaultNofile = 1048576;

    private const ulong DefaultCpuPeriod = 100_000;

    private static readonly string[] s_maskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] s_readonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>Everything one container needs. Reads &lt;rootfs&gt;/etc/passwd and /etc/group to resolve the user,
    /// so call it after the rootfs is mounted. Throws InvalidArgument for an unknown user/group/capability.</summary>
    public static RuntimeSpec Build(ContainerRecord c, ImageConfig image, SpecInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(inputs);

        var args = ProcessArgs(c);
        var userSpec = c.Config.User.Length > 0 ? c.Config.User : image.Config.User ?? "";
        var user = UserResolver.ResolveInRootfs(inputs.RootfsPath, userSpec);
        var host = c.Host;

        return NewSpec(inputs.RootfsPath, args)
            .WithHostname(host.UtsMode == "host" ? "" : c.Config.Hostname) // the host's UTS namespace keeps its name
            .WithEnv(BuildEnv(c, image, inputs.LinkEnv))
            .WithCwd(WorkingDir(c, image))
            .WithUser(user)
            .WithTerminal(c.Config.Tty, host.ConsoleHeight, host.ConsoleWidth)
            .WithCapabilities(Capabilities.Compute(host.CapAdd, host.CapDrop, host.Privileged, inputs.HostCapabilities))
            .WithNofileLimit(Math.Min(DefaultNofile, inputs.HostNofileHardLimit))
            .WithReadonlyRootfs(host.ReadonlyRootfs)
            .WithDefaultMounts(host.ShmSize > 0 ? host.ShmSize : DefaultShmSize, host.Privileged)
            .WithEtcFiles(inputs.HostnamePath, inputs.HostsPath, inputs.ResolvConfPath)
            .WithNamespaces(IsHostNetwork(host.NetworkMode), inputs.NetworkNamespacePath, host.PidMode == "host", host.UtsMode == "host", host.CgroupnsMode == "private")
            .WithMaskedPaths(host.Privileged)
            .WithCgroupsPath(inputs.CgroupsPath)
            .WithDevices(host.Privileged)
            .WithDeviceCgroupRules(host.DeviceCgroupRules)
            .WithResources(host, inputs.SwapLimitSupported)
            .WithResourceExtras(host)
            .WithBlockIoDevices(host, inputs.BlockDevices ?? new Dictionary<string, Wharf.Core.Host.HostDevice>())
            .WithAnnotations(host.Annotations)
            .WithSecurity(c, inputs);
    }

    /// <summary>A spec with only the process args and root set; every other part comes from a With step.</summary>
    public static RuntimeSpec NewSpec(string rootfsPath, IReadOnlyList<string> args) => new()
    {
        Process = new SpecProcess { Args = args },
        Root = new SpecRoot { Path = rootfsPath },
        Linux = new SpecLinux(),
    };

    /// <summary>The container's environment as Docker computes it: PATH, HOSTNAME and (with a TTY) TERM first,
    /// then the legacy links' variables, then the image's Env and the container's Env, each replacing an earlier
    /// entry with the same key. A bare "KEY" (no '=') in the container's Env removes KEY. Also what exec should
    /// start from.</summary>
    public static IReadOnlyList<string> BuildEnv(ContainerRecord c, ImageConfig image, IReadOnlyList<string>? linkEnv = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(image);
        var env = new List<string> { "PATH=" + DefaultPath, "HOSTNAME=" + c.Config.Hostname };
        if (c.Config.Tty)
        {
            env.Add("TERM=xterm");
        }

        env.AddRange(linkEnv ?? []);
        ReplaceOrAppend(env, image.Config.Env ?? []);
        ReplaceOrAppend(env, c.Config.Env);
        return env;
    }

    /// <summary>Applies <paramref name="overrides"/> to <paramref name="env"/> by key, keeping first-seen order.</summary>
    public static void ReplaceOrAppend(List<string> env, IEnumerable<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(overrides);
        foreach (var entry in overrides)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? entry : entry[..eq];
            var index = env.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
            if (eq < 0)
            {
                if (index >= 0)
                {
                    env.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                env[index] = entry;
            }
            else
            {
                env.Add(entry);
            }
        }
    }

    public static RuntimeSpec WithHostname(this RuntimeSpec s, string hostname) =>
        s with { Hostname = string.IsNullOrEmpty(hostname) ? null : hostname };

    public static RuntimeSpec WithEnv(this RuntimeSpec s, IReadOnlyList<string> env) =>
        s with { Process = s.Process with { Env = env } };

    public static RuntimeSpec WithCwd(this RuntimeSpec s, string cwd) =>
        s with { Process = s.Process with { Cwd = cwd } };

    public static RuntimeSpec WithUser(this RuntimeSpec s, ResolvedUser user) =>
        s with
        {
            Process = s.Process with
            {
                User = new SpecUser
                {
                    Uid = user.Uid,
                    Gid = user.Gid,
                    AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null,
                },
            },
        };

    /// <summary>The console size is only meaningful with a terminal, and only when the client sent one.</summary>
    public static RuntimeSpec WithTerminal(this RuntimeSpec s, bool tty, int height, int width) =>
        s with
        {
            Process = s.Process with
            {
                Terminal = tty,
                ConsoleSize = tty && height > 0 && width > 0 ? new SpecBox((uint)height, (uint)width) : null,
            },
        };

    public static RuntimeSpec WithCapabilities(this RuntimeSpec s, IReadOnlyList<string> caps) =>
        s with
        {
            Process = s.Process with
            {
                Capabilities = new SpecCapabilities { Bounding = caps, Effective = caps, Permitted = caps },
                NoNewPrivileges = false,
            },
        };

    public static RuntimeSpec WithNofileLimit(this RuntimeSpec s, ulong limit) =>
        s with { Process = s.Process with { Rlimits = [new SpecRlimit("RLIMIT_NOFILE", limit, limit)] } };

    public static RuntimeSpec WithReadonlyRootfs(this RuntimeSpec s, bool readOnly) =>
        s with { Root = s.Root with { Readonly = readOnly } };

    /// <summary>Docker's standard mounts. Privileged containers get sysfs and the cgroup tree writable.</summary>
    public static RuntimeSpec WithDefaultMounts(this RuntimeSpec s, long shmSizeBytes, bool privileged)
    {
        var ro = privileged ? "rw" : "ro";
        SpecMount[] defaults =
        [
            Kernel("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            Kernel("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
            Kernel("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
            Kernel("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", ro),
            Kernel("/sys/fs/cgroup", "cgroup", "cgroup", ro, "nosuid", "noexec", "nodev"),
            Kernel("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
            Kernel("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777",
                "size=" + shmSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return s with { Mounts = [.. s.Mounts, .. defaults] };
    }

    /// <summary>Bind-mounts the daemon-generated /etc files over the image's.</summary>
    public static RuntimeSpec WithEtcFiles(this RuntimeSpec s, string hostnamePath, string hostsPath, string resolvConfPath) =>
        s with
        {
            Mounts =
            [
                .. s.Mounts,
                Bind(hostnamePath, "/etc/hostname"),
                Bind(hostsPath, "/etc/hosts"),
                Bind(resolvConfPath, "/etc/resolv.conf"),
            ],
        };

    /// <summary>User-visible bind mount (rbind, rprivate; "ro" when read-only).</summary>
    public static RuntimeSpec WithBindMount(this RuntimeSpec s, string source, string destination, bool readOnly) =>
        s with { Mounts = [.. s.Mounts, Bind(source, destination, readOnly)] };

    /// <summary>ipc and mount are always private; pid and uts unless the host's are asked for (--pid/--uts host).
    /// The network namespace is new (null path), joined (a path), or absent for host networking. The cgroup
    /// namespace is the host's unless --cgroupns private.</summary>
    public static RuntimeSpec WithNamespaces(this RuntimeSpec s, bool hostNetwork, string? networkNamespacePath,
        bool hostPid = false, bool hostUts = false, bool privateCgroup = false)
    {
        var namespaces = new List<SpecNamespace>();
        if (!hostPid) namespaces.Add(new SpecNamespace { Type = "pid" });
        namespaces.Add(new SpecNamespace { Type = "ipc" });
        if (!hostUts) namespaces.Add(new SpecNamespace { Type = "uts" });
        namespaces.Add(new SpecNamespace { Type = "mount" });
        if (privateCgroup) namespaces.Add(new SpecNamespace { Type = "cgroup" });
        if (!hostNetwork)
        {
            namespaces.Add(new SpecNamespace { Type = "network", Path = networkNamespacePath });
        }

        return s with { Linux = s.Linux with { Namespaces = namespaces } };
    }

    /// <summary>--device-cgroup-rule: allow rules after the defaults (a privileged container already allows all).</summary>
    public static RuntimeSpec WithDeviceCgroupRules(this RuntimeSpec s, IReadOnlyList<string> rules) =>
        rules.Count == 0 ? s : s.WithResourcesPart(r => r with { Devices = [.. r.Devices, .. rules.Select(DeviceCgroupRule.Parse)] });

    public static RuntimeSpec WithMaskedPaths(this RuntimeSpec s, bool privileged) =>
        s with
        {
            Linux = s.Linux with
            {
                MaskedPaths = privileged ? [] : s_maskedPaths,
                ReadonlyPaths = privileged ? [] : s_readonlyPaths,
            },
        };

    public static RuntimeSpec WithCgroupsPath(this RuntimeSpec s, string cgroupsPath) =>
        s with { Linux = s.Linux with { CgroupsPath = cgroupsPath } };

    /// <summary>Device cgroup: deny everything, then allow Docker's default set (null, zero, full, random,
    /// urandom, tty, console, ptmx, pts, tun, and mknod of any node). Privileged allows all devices.</summary>
    public static RuntimeSpec WithDevices(this RuntimeSpec s, bool privileged)
    {
        IReadOnlyList<SpecDeviceRule> rules = privileged
            ? [new SpecDeviceRule { Allow = true, Access = "rwm" }]
            :
            [
                new SpecDeviceRule { Allow = false, Access = "rwm" },
                Device("c", null, null, "m"),
                Device("b", null, null, "m"),
                Device("c", 1, 3), // null
                Device("c", 1, 5), // zero
                Device("c", 1, 7), // full
                Device("c", 1, 8), // random
                Device("c", 1, 9), // urandom
                Device("c", 5, 0), // tty
                Device("c", 5, 1), // console
                Device("c", 5, 2), // ptmx
                Device("c", 136, null), // pts/*
                Device("c", 10, 200), // net/tun: Docker keeps it allowed though runc 1.2 dropped it
            ];
        return s.WithResourcesPart(r => r with { Devices = rules });
    }

    /// <summary>Memory, CPU and pids limits; each block only when something in it is set.</summary>
    public static RuntimeSpec WithResources(this RuntimeSpec s, HostSettings host, bool swapLimitSupported)
    {
        ArgumentNullException.ThrowIfNull(host);
        SpecMemory? memory = null;
        if (host.Memory > 0 || host.MemoryReservation > 0 || host.MemorySwap != 0)
        {
            // Docker's default swap is twice the memory limit; -1 means unlimited swap.
            long? swap = host.MemorySwap != 0 ? host.MemorySwap : host.Memory > 0 ? host.Memory * 2 : null;
            memory = new SpecMemory
            {
                Limit = host.Memory > 0 ? host.Memory : null,
                Reservation = host.MemoryReservation > 0 ? host.MemoryReservation : null,
                Swap = swapLimitSupported ? swap : null,
            };
            if (memory.Limit is null && memory.Reservation is null && memory.Swap is null)
            {
                memory = null;
            }
        }

        SpecCpu? cpu = null;
        if (host.NanoCpus > 0 || host.CpuShares > 0 || host.CpuQuota > 0 || host.CpuPeriod > 0 || host.CpusetCpus.Length > 0)
        {
            var period = host.CpuPeriod > 0 ? (ulong)host.CpuPeriod : DefaultCpuPeriod;
            long? quota = host.NanoCpus > 0
                ? (long)((decimal)host.NanoCpus * period / 1_000_000_000m)
                : host.CpuQuota > 0 ? host.CpuQuota : null;
            cpu = new SpecCpu
            {
                Shares = host.CpuShares > 0 ? (ulong)host.CpuShares : null,
                Quota = quota,
                Period = quota is not null || host.CpuPeriod > 0 ? period : null,
                Cpus = host.CpusetCpus.Length > 0 ? host.CpusetCpus : null,
            };
        }

        var pids = host.PidsLimit is > 0 ? new SpecPids(host.PidsLimit.Value) : null;
        return s.WithResourcesPart(r => r with { Memory = memory, Cpu = cpu, Pids = pids });
    }

    private static RuntimeSpec WithResourcesPart(this RuntimeSpec s, Func<SpecResources, SpecResources> change) =>
        s with { Linux = s.Linux with { Resources = change(s.Linux.Resources ?? new SpecResources()) } };

    private static List<string> ProcessArgs(ContainerRecord c)
    {
        if (string.IsNullOrEmpty(c.Path))
        {
            throw EngineException.Invalid("no command specified");
        }

        return [c.Path, .. c.Args];
    }

    private static string WorkingDir(ContainerRecord c, ImageConfig image) =>
        c.Config.WorkingDir.Length > 0 ? c.Config.WorkingDir
        : !string.IsNullOrEmpty(image.Config.WorkingDir) ? image.Config.WorkingDir
        : "/";

    private static bool IsHostNetwork(string networkMode) =>
        string.Equals(networkMode, "host", StringComparison.Ordinal);

    private static SpecMount Kernel(string destination, string type, string source, params string[] options) =>
        new() { Destination = destination, Type = type, Source = source, Options = options };

    private static SpecMount Bind(string source, string destination, bool readOnly = false) =>
        new()
        {
            Destination = destination,
            Type = "bind",
            Source = source,
            Options = readOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"],
        };

    private static SpecDeviceRule Device(string type, long? major, long? minor, string access = "rwm") =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };
}

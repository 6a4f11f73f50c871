namespace Wharf.Engine.Containers.Security;

/// <summary>Wharf's built-in seccomp profile, equivalent in effect to Docker's default: everything not listed
/// fails with EPERM; ordinary process, file, socket, IPC and time syscalls are allowed; syscalls that reach
/// beyond the container (mount, namespaces, keyrings, modules, clock setting, tracing...) are allowed only
/// when the container holds the capability that makes them meaningful. Kept as data so it can be inspected,
/// tested and compared rule by rule.</summary>
public static class DefaultSeccompProfile
{
    private const uint EPERM = 1;
    private const uint ENOSYS = 38;

    /// <summary>CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
    /// CLONE_NEWCGROUP: clone is allowed only when none of these flags is set (unless CAP_SYS_ADMIN).</summary>
    public const ulong NamespaceCloneFlags = 0x00020000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x02000000;

    private const ulong AfVsock = 40;

    /// <summary>Allowed for every container, whatever its capabilities.</summary>
    public static IReadOnlyList<string> AlwaysAllowed { get; } =
    [
        // processes, signals, scheduling
        "capget", "capset", "execve", "execveat", "exit", "exit_group", "fork", "vfork", "getcpu", "getpgid",
        "getpgrp", "getpid", "getppid", "getpriority", "getrlimit", "ugetrlimit", "prlimit64", "setrlimit",
        "getrusage", "getsid", "gettid", "kill", "tgkill", "tkill", "pause", "prctl", "restart_syscall", "rseq",
        "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4",
        "sigprocmask", "sigreturn", "sched_getaffinity", "sched_getattr", "sched_getparam",
        "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
        "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr", "sched_setparam",
        "sched_setscheduler", "sched_yield", "seccomp", "setpgid", "setpriority", "setsid", "wait4", "waitid",
        "waitpid", "pidfd_open", "pidfd_send_signal", "process_mrelease", "set_tid_address", "set_robust_list",
        "get_robust_list", "get_thread_area", "set_thread_area", "membarrier", "landlock_add_rule",
        "landlock_create_ruleset", "landlock_restrict_self", "ioprio_get", "ioprio_set", "uname", "sysinfo",
        "map_shadow_stack", "riscv_hwprobe", "uretprobe",

        // credentials
        "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
        "getresgid", "getresgid32", "getresuid", "getresuid32", "getuid", "getuid32", "setfsgid", "setfsgid32",
        "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32",
        "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32",

        // memory
        "brk", "madvise", "mincore", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mremap",
        "mseal", "msync", "munlock", "munlockall", "munmap", "remap_file_pages", "memfd_create", "memfd_secret",
        "pkey_alloc", "pkey_free", "pkey_mprotect",

        // files and directories
        "access", "faccessat", "faccessat2", "chdir", "fchdir", "chmod", "fchmod", "fchmodat", "fchmodat2",
        "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", "close", "close_range",
        "copy_file_range", "creat", "dup", "dup2", "dup3", "fadvise64", "fadvise64_64", "fallocate", "fcntl",
        "fcntl64", "fdatasync", "fsync", "syncfs", "sync", "sync_file_range", "flock", "fstat", "fstat64",
        "fstatat64", "newfstatat", "lstat", "lstat64", "stat", "stat64", "statx", "statmount", "listmount",
        "fstatfs", "fstatfs64", "statfs", "statfs64", "ftruncate", "ftruncate64", "truncate", "truncate64",
        "futimesat", "utime", "utimensat", "utimensat_time64", "utimes", "getcwd", "getdents", "getdents64",
        "link", "linkat", "symlink", "symlinkat", "readlink", "readlinkat", "unlink", "unlinkat", "rename",
        "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat", "open", "openat", "openat2",
        "lseek", "_llseek", "read", "readv", "pread64", "preadv", "preadv2", "readahead", "write", "writev",
        "pwrite64", "pwritev", "pwritev2", "sendfile", "sendfile64", "splice", "tee", "vmsplice", "umask",
        "ioctl", "cachestat", "fanotify_mark", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch",

        // extended attributes
        "getxattr", "lgetxattr", "fgetxattr", "getxattrat", "listxattr", "llistxattr", "flistxattr",
        "listxattrat", "setxattr", "lsetxattr", "fsetxattr", "setxattrat", "removexattr", "lremovexattr",
        "fremovexattr", "removexattrat",

        // polling, events, pipes, async I/O
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2",
        "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "poll", "ppoll", "ppoll_time64", "select",
        "_newselect", "pselect6", "pselect6_time64", "pipe", "pipe2", "io_cancel", "io_destroy",
        "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup", "io_submit", "futex",
        "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",

        // time (reading it; setting it needs CAP_SYS_TIME)
        "alarm", "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
        "clock_nanosleep_time64", "nanosleep", "getitimer", "setitimer", "gettimeofday", "time", "times",
        "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64",
        "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
        "timerfd_settime", "timerfd_settime64", "adjtimex", "clock_adjtime", "clock_adjtime64", "getrandom",

        // sockets (socket itself has its own rule: no AF_VSOCK)
        "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt", "setsockopt",
        "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send", "sendmmsg", "sendmsg",
        "sendto", "shutdown", "socketcall", "socketpair",

        // System V and POSIX IPC (private to the container's IPC namespace)
        "ipc", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
        "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget", "mq_getsetattr", "mq_notify", "mq_open",
        "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
    ];

    /// <summary>Syscalls allowed only with a capability, per capability.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedWithCapability { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["CAP_DAC_READ_SEARCH"] = ["open_by_handle_at"],
            ["CAP_SYS_ADMIN"] =
            [
                "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
                "mount", "mount_setattr", "move_mount", "name_to_handle_at", "open_tree", "perf_event_open", "quotactl",
                "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
            ],
            ["CAP_SYS_BOOT"] = ["reboot"],
            ["CAP_SYS_CHROOT"] = ["chroot"],
            ["CAP_SYS_MODULE"] = ["delete_module", "init_module", "finit_module"],
            ["CAP_SYS_PACCT"] = ["acct"],
            ["CAP_SYS_PTRACE"] = ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"],
            ["CAP_SYS_RAWIO"] = ["iopl", "ioperm"],
            ["CAP_SYS_TIME"] = ["settimeofday", "stime", "clock_settime", "clock_settime64"],
            ["CAP_SYS_TTY_CONFIG"] = ["vhangup"],
            ["CAP_SYS_NICE"] = ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
            ["CAP_SYSLOG"] = ["syslog"],
            ["CAP_BPF"] = ["bpf"],
            ["CAP_PERFMON"] = ["perf_event_open"],
        };

    /// <summary>The profile in Docker's format (with capability/arch/kernel conditions).</summary>
    public static SeccompProfile Create()
    {
        var rules = new List<SeccompRule>
        {
            Allow([.. AlwaysAllowed]),
            // Reading another process's memory or tracing it became safe with the 4.8 kernel's ptrace/seccomp fix.
            new() { Names = ["process_vm_readv", "process_vm_writev", "ptrace"], Action = "SCMP_ACT_ALLOW", Includes = new SeccompFilter { MinKernel = "4.8" } },
            // personality: only the harmless personas (Linux, with or without UNAME26 / READ_IMPLIES_EXEC off, query).
            PersonalityRule(0x0), PersonalityRule(0x0008), PersonalityRule(0x20000), PersonalityRule(0x20008), PersonalityRule(0xffffffff),
            new() { Names = ["socket"], Action = "SCMP_ACT_ALLOW", Args = [new SeccompArg { Index = 0, Value = AfVsock, Op = "SCMP_CMP_NE" }] },
            // Architecture-specific helpers.
            new() { Names = ["arch_prctl", "modify_ldt"], Action = "SCMP_ACT_ALLOW", Includes = new SeccompFilter { Arches = ["amd64", "x32", "x86"] } },
            new() { Names = ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"], Action = "SCMP_ACT_ALLOW", Includes = new SeccompFilter { Arches = ["arm", "arm64"] } },
            new() { Names = ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"], Action = "SCMP_ACT_ALLOW", Includes = new SeccompFilter { Arches = ["s390", "s390x"] } },
            // clone without namespace flags (threads, fork) for everyone; s390 has the flags in argument 1.
            new()
            {
                Names = ["clone"], Action = "SCMP_ACT_ALLOW",
                Args = [new SeccompArg { Index = 0, Value = NamespaceCloneFlags, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }],
                Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"], Arches = ["s390", "s390x"] },
            },
            new()
            {
                Names = ["clone"], Action = "SCMP_ACT_ALLOW",
                Args = [new SeccompArg { Index = 1, Value = NamespaceCloneFlags, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }],
                Includes = new SeccompFilter { Arches = ["s390", "s390x"] },
                Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"] },
            },
            // clone3 hides its flags in memory seccomp cannot read: answer ENOSYS so libc falls back to clone.
            new() { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = ENOSYS, Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"] } },
        };
        foreach (var (cap, names) in AllowedWithCapability)
            rules.Add(new SeccompRule { Names = [.. names], Action = "SCMP_ACT_ALLOW", Includes = new SeccompFilter { Caps = [cap] } });

        return new SeccompProfile
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = EPERM,
            ArchMap =
            [
                new SeccompArchMap { Architecture = "SCMP_ARCH_X86_64", SubArchitectures = ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
                new SeccompArchMap { Architecture = "SCMP_ARCH_AARCH64", SubArchitectures = ["SCMP_ARCH_ARM"] },
                new SeccompArchMap { Architecture = "SCMP_ARCH_RISCV64", SubArchitectures = [] },
                new SeccompArchMap { Architecture = "SCMP_ARCH_PPC64LE", SubArchitectures = ["SCMP_ARCH_PPC64", "SCMP_ARCH_PPC"] },
                new SeccompArchMap { Architecture = "SCMP_ARCH_S390X", SubArchitectures = ["SCMP_ARCH_S390"] },
            ],
            Syscalls = rules,
        };
    }

    private static SeccompRule Allow(List<string> names) => new() { Names = names, Action = "SCMP_ACT_ALLOW" };

    private static SeccompRule PersonalityRule(ulong persona) => new()
    {
        Names = ["personality"],
        Action = "SCMP_ACT_ALLOW",
        Args = [new SeccompArg { Index = 0, Value = persona, Op = "SCMP_CMP_EQ" }],
    };
}

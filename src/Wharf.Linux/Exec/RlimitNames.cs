namespace Wharf.Linux.Exec;

/// <summary>RLIMIT_* names of the OCI spec to the resource numbers of setrlimit(2) (asm-generic/resource.h).</summary>
public static class RlimitNames
{
    private static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    public static int? Number(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : index;
    }
}

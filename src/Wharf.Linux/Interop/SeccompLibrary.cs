using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>libseccomp.so.2, the library runc itself builds its filters with (so the same rule set compiles to the
/// same BPF). Functions return 0 or a negative errno.</summary>
internal static unsafe partial class SeccompLibrary
{
    private const string Library = "libseccomp.so.2";

    /// <summary>SCMP_FLTATR_CTL_NNP: whether seccomp_load sets no_new_privs itself (runc turns it off).</summary>
    public const int SCMP_FLTATR_CTL_NNP = 3;

    /// <summary>__NR_SCMP_ERROR: the name is unknown to libseccomp.</summary>
    public const int NR_SCMP_ERROR = -1;

    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Library, EntryPoint = "seccomp_init")]
    public static partial nint Init(uint defaultAction);

    [LibraryImport(Library, EntryPoint = "seccomp_release")]
    public static partial void Release(nint context);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_resolve_name")]
    public static partial uint ArchResolveName(byte* name);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_add")]
    public static partial int ArchAdd(nint context, uint arch);

    [LibraryImport(Library, EntryPoint = "seccomp_attr_set")]
    public static partial int AttrSet(nint context, int attribute, uint value);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name")]
    public static partial int SyscallResolveName(byte* name);

    [LibraryImport(Library, EntryPoint = "seccomp_rule_add_array")]
    public static partial int RuleAddArray(nint context, uint action, int syscall, uint count, ArgCmp* args);

    [LibraryImport(Library, EntryPoint = "seccomp_load")]
    public static partial int Load(nint context);
}

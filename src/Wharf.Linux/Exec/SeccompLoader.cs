using System.Text;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Exec;

/// <summary>Compiles <see cref="SeccompRules"/> with libseccomp and loads the filter on the CALLING THREAD only
/// (no SCMP_FLTATR_CTL_TSYNC: the thread that loads it is the one that execve()s, and the kernel ends the others).
/// libseccomp's own no_new_privs is off, as in runc: no_new_privs is the spec's decision, not the filter's.
/// Compiled before the helper joins the container's mount namespace: libseccomp.so.2 is loaded from the HOST root
/// (after setns the dynamic loader would look in the container's).</summary>
internal static unsafe class SeccompLoader
{
    /// <summary>Builds the filter (libseccomp context); <see cref="Load"/> installs and releases it.</summary>
    public static nint Compile(SeccompRules rules)
    {
        var context = SeccompLibrary.Init(rules.DefaultAction);
        if (context == 0)
            throw new InvalidOperationException("seccomp_init failed");
        try
        {
            foreach (var arch in rules.Architectures)
            {
                var token = SeccompLibrary.ArchResolveName(Utf8(arch));
                if (token == 0)
                    throw new InvalidOperationException($"unknown seccomp architecture {arch}");
                var added = SeccompLibrary.ArchAdd(context, token);
                if (added < 0 && added != -17 /* EEXIST: the native one is always there */)
                    throw new SyscallException("seccomp_arch_add", arch, -added);
            }
            Check(SeccompLibrary.AttrSet(context, SeccompLibrary.SCMP_FLTATR_CTL_NNP, 0), "seccomp_attr_set", null);
            var conditions = stackalloc SeccompLibrary.ArgCmp[6];
            foreach (var rule in rules.Rules)
            {
                var number = SeccompLibrary.SyscallResolveName(Utf8(rule.Syscall));
                if (number == SeccompLibrary.NR_SCMP_ERROR)
                    continue; // runc: a name this libseccomp does not know is a syscall this kernel does not have
                for (var i = 0; i < rule.Conditions.Count; i++)
                {
                    var c = rule.Conditions[i];
                    conditions[i] = new SeccompLibrary.ArgCmp { Arg = c.Index, Op = c.Op, DatumA = c.Value, DatumB = c.ValueTwo };
                }
                var error = SeccompLibrary.RuleAddArray(context, rule.Action, number, (uint)rule.Conditions.Count, conditions);
                if (error < 0)
                    throw new InvalidOperationException($"error adding seccomp filter rule for syscall {rule.Syscall}: {Marshal(-error)}");
            }
            return context;
        }
        catch
        {
            SeccompLibrary.Release(context);
            throw;
        }
    }

    public static void Load(nint context)
    {
        try
        {
            Check(SeccompLibrary.Load(context), "seccomp_load", null);
        }
        finally
        {
            SeccompLibrary.Release(context);
        }
    }

    private static void Check(int result, string operation, string? what)
    {
        if (result < 0)
            throw new SyscallException(operation, what, -result);
    }

    private static string Marshal(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);

    private static byte* Utf8(string text)
    {
        // Lives until exec: the helper never returns from a successful load, so a small leak is by design.
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        return buffer;
    }
}

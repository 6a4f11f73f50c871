using Wharf.Core.Oci;

namespace Wharf.Linux.Exec;

/// <summary>One libseccomp rule: syscall name, action value, argument comparisons (all must match).</summary>
public sealed record SeccompRule(string Syscall, uint Action, IReadOnlyList<SeccompCondition> Conditions);

/// <summary>An argument comparison in libseccomp's terms (enum scmp_compare).</summary>
public sealed record SeccompCondition(uint Index, int Op, ulong Value, ulong ValueTwo);

/// <summary>The OCI seccomp section translated into libseccomp rules exactly as runc 1.1 does it
/// (libcontainer/seccomp/seccomp_linux.go + specconv): one rule per syscall name; a rule whose action equals the
/// default action is skipped (libseccomp refuses it); ERRNO and TRACE without errnoRet mean EPERM; when two
/// conditions test the same argument, each condition becomes its own rule (runc's "old behaviour").
/// Pure: resolving names and loading the filter is <see cref="SeccompLoader"/>'s job.</summary>
public sealed class SeccompRules
{
    private const int EPERM = 1;

    public required uint DefaultAction { get; init; }
    /// <summary>libseccomp architecture names (seccomp_arch_resolve_name), in profile order.</summary>
    public required IReadOnlyList<string> Architectures { get; init; }
    public required IReadOnlyList<SeccompRule> Rules { get; init; }

    /// <summary>Null when runc's behaviour for this profile is not reproduced here (filter flags, notify actions);
    /// <paramref name="unsupported"/> then says why, and the exec goes through runc.</summary>
    public static SeccompRules? Translate(SpecSeccomp spec, out string? unsupported)
    {
        ArgumentNullException.ThrowIfNull(spec);
        unsupported = null;
        if (spec.Flags is { Count: > 0 })
        {
            unsupported = "seccomp filter flags " + string.Join(",", spec.Flags);
            return null;
        }
        var defaultAction = ActionValue(spec.DefaultAction, spec.DefaultErrnoRet);
        if (defaultAction is null)
        {
            unsupported = "seccomp default action " + spec.DefaultAction;
            return null;
        }
        var rules = new List<SeccompRule>();
        foreach (var call in spec.Syscalls ?? [])
        {
            var action = ActionValue(call.Action, call.ErrnoRet);
            if (action is null)
            {
                unsupported = "seccomp action " + call.Action;
                return null;
            }
            if (action == defaultAction)
                continue;
            var conditions = new List<SeccompCondition>();
            foreach (var arg in call.Args ?? [])
            {
                var op = CompareOp(arg.Op);
                if (op is null || arg.Index > 5)
                {
                    unsupported = $"seccomp argument comparison {arg.Op} on argument {arg.Index}";
                    return null;
                }
                conditions.Add(new SeccompCondition(arg.Index, op.Value, arg.Value, arg.ValueTwo));
            }
            var sameArgumentTwice = conditions.GroupBy(c => c.Index).Any(g => g.Count() > 1);
            foreach (var name in call.Names)
            {
                if (sameArgumentTwice)
                {
                    foreach (var condition in conditions)
                        rules.Add(new SeccompRule(name, action.Value, [condition]));
                }
                else
                {
                    rules.Add(new SeccompRule(name, action.Value, conditions));
                }
            }
        }
        return new SeccompRules
        {
            DefaultAction = defaultAction.Value,
            Architectures = (spec.Architectures ?? []).Select(ArchitectureName).ToList(),
            Rules = rules,
        };
    }

    /// <summary>The SCMP_ACT_* value (seccomp.h); null for actions we do not reproduce (NOTIFY needs a listener).</summary>
    public static uint? ActionValue(string action, uint? errnoRet) => action switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => 0x00000000u,
        "SCMP_ACT_KILL_PROCESS" => 0x80000000u,
        "SCMP_ACT_TRAP" => 0x00030000u,
        "SCMP_ACT_ERRNO" => 0x00050000u | ((errnoRet ?? EPERM) & 0xffffu),
        "SCMP_ACT_TRACE" => 0x7ff00000u | ((errnoRet ?? EPERM) & 0xffffu),
        "SCMP_ACT_LOG" => 0x7ffc0000u,
        "SCMP_ACT_ALLOW" => 0x7fff0000u,
        _ => null,
    };

    /// <summary>enum scmp_compare.</summary>
    public static int? CompareOp(string op) => op switch
    {
        "SCMP_CMP_NE" => 1,
        "SCMP_CMP_LT" => 2,
        "SCMP_CMP_LE" => 3,
        "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5,
        "SCMP_CMP_GT" => 6,
        "SCMP_CMP_MASKED_EQ" => 7,
        _ => null,
    };

    /// <summary>"SCMP_ARCH_X86_64" → "x86_64", the spelling seccomp_arch_resolve_name takes.</summary>
    public static string ArchitectureName(string specArch)
    {
        ArgumentNullException.ThrowIfNull(specArch);
        var name = specArch.StartsWith("SCMP_ARCH_", StringComparison.Ordinal) ? specArch["SCMP_ARCH_".Length..] : specArch;
        return name.ToLowerInvariant();
    }
}

using Wharf.Core.Oci;
using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Containers.Security;

/// <summary>The security part of a container's runtime spec, as composable steps after SpecBuilder's: seccomp,
/// no-new-privileges, host devices (--device, and all of /dev for --privileged), sysctls, --group-add and
/// "systempaths=unconfined".</summary>
public static class SecuritySpec
{
    /// <summary>Applies every security option of <paramref name="c"/>; call after the capabilities are set
    /// (the seccomp profile depends on them) and after the user (group-add extends its groups).</summary>
    public static RuntimeSpec WithSecurity(this RuntimeSpec s, ContainerRecord c, SpecInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(inputs);
        var host = c.Host;
        var options = SecurityOptions.Parse(host.SecurityOpt);
        var caps = s.Process.Capabilities?.Bounding ?? [];

        var spec = s
            .WithNoNewPrivileges(options.NoNewPrivileges)
            .WithSeccomp(host.Privileged ? null : options.Seccomp switch
            {
                SeccompMode.Unconfined => null,
                SeccompMode.Custom => SeccompCompiler.Compile(options.CustomProfile!, caps, SeccompCompiler.HostGoArch(), SeccompCompiler.HostKernel()),
                _ => SeccompCompiler.Compile(DefaultSeccompProfile.Create(), caps, SeccompCompiler.HostGoArch(), SeccompCompiler.HostKernel()),
            })
            .WithSysctls(host.Sysctls)
            .WithHostDevices(host.Privileged ? inputs.PrivilegedDevices ?? [] : [], inputs.Devices ?? []);
        if (SecurityOptions.UnconfinedSystemPaths(host.SecurityOpt))
            spec = spec with { Linux = spec.Linux with { MaskedPaths = [], ReadonlyPaths = [] } };
        if (host.GroupAdd.Count > 0)
            spec = spec.WithAdditionalGroups(SupplementaryGroups.Resolve(host.GroupAdd, UserResolver.ReadInRootfs(inputs.RootfsPath, "etc/group")));
        return spec;
    }

    public static RuntimeSpec WithNoNewPrivileges(this RuntimeSpec s, bool enabled) =>
        s with { Process = s.Process with { NoNewPrivileges = enabled } };

    public static RuntimeSpec WithSeccomp(this RuntimeSpec s, SpecSeccomp? seccomp) =>
        s with { Linux = s.Linux with { Seccomp = seccomp } };

    public static RuntimeSpec WithSysctls(this RuntimeSpec s, IReadOnlyDictionary<string, string> sysctls) =>
        sysctls.Count == 0 ? s : s with { Linux = s.Linux with { Sysctl = new Dictionary<string, string>(sysctls, StringComparer.Ordinal) } };

    /// <summary>Adds gids to the process's supplementary groups, keeping the ones the user already has.</summary>
    public static RuntimeSpec WithAdditionalGroups(this RuntimeSpec s, IReadOnlyList<uint> gids)
    {
        var all = (s.Process.User.AdditionalGids ?? []).Concat(gids).Distinct().ToList();
        return s with { Process = s.Process with { User = s.Process.User with { AdditionalGids = all.Count > 0 ? all : null } } };
    }

    /// <summary>Device nodes runc creates in the container: all of the host's for --privileged (the cgroup then
    /// allows everything already), plus each --device with a cgroup rule granting its permissions.</summary>
    public static RuntimeSpec WithHostDevices(this RuntimeSpec s, IReadOnlyList<Core.Host.HostDevice> privileged, IReadOnlyList<ResolvedDevice> custom)
    {
        if (privileged.Count == 0 && custom.Count == 0) return s;
        var devices = new List<SpecDevice>(s.Linux.Devices ?? []);
        foreach (var d in privileged)
            devices.Add(ToSpec(d, d.Path));
        var rules = new List<SpecDeviceRule>(s.Linux.Resources?.Devices ?? []);
        foreach (var d in custom)
        {
            devices.RemoveAll(existing => existing.Path == d.ContainerPath);
            devices.Add(ToSpec(d.Host, d.ContainerPath));
            rules.Add(new SpecDeviceRule { Allow = true, Type = d.Host.Type.ToString(), Major = d.Host.Major, Minor = d.Host.Minor, Access = d.Permissions });
        }
        return s with
        {
            Linux = s.Linux with
            {
                Devices = devices,
                Resources = (s.Linux.Resources ?? new SpecResources()) with { Devices = rules },
            },
        };
    }

    private static SpecDevice ToSpec(Core.Host.HostDevice d, string path) => new()
    {
        Path = path,
        Type = d.Type.ToString(),
        Major = d.Major,
        Minor = d.Minor,
        FileMode = d.FileMode,
        Uid = d.Uid,
        Gid = d.Gid,
    };
}

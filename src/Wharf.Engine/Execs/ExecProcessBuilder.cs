using Wharf.Core.Oci;
using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Execs;

/// <summary>The OCI process of an exec, derived from the container's own process (as runc ran it): same
/// environment, cwd, user, capabilities and rlimits unless the exec overrides them. Pure, so it is tested
/// without a container.</summary>
public static class ExecProcessBuilder
{
    /// <param name="container">The container's process from its config.json.</param>
    /// <param name="user">The exec's user resolved against the container's /etc/passwd, or null to keep the container's.</param>
    public static SpecProcess Build(SpecProcess container, ExecCreateParams exec, ResolvedUser? user)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(exec);
        var env = new List<string>(container.Env);
        if (exec.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            env.Add("TERM=xterm");
        SpecBuilder.ReplaceOrAppend(env, exec.Env);

        var caps = container.Capabilities;
        if (exec.Privileged && caps is not null)
        {
            // Everything the container may hold: runc cannot grant more than its bounding set.
            var all = caps.Bounding;
            caps = new SpecCapabilities { Bounding = all, Effective = all, Permitted = all };
        }

        return container with
        {
            Args = exec.Cmd,
            Env = env,
            Cwd = exec.WorkingDir.Length > 0 ? exec.WorkingDir : container.Cwd,
            User = user is null ? container.User : new SpecUser
            {
                Uid = user.Uid,
                Gid = user.Gid,
                AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null,
            },
            Terminal = exec.Tty,
            ConsoleSize = exec.Tty && exec.ConsoleSize is { Height: > 0, Width: > 0 } size ? new SpecBox((uint)size.Height, (uint)size.Width) : null,
            Capabilities = caps,
            NoNewPrivileges = !exec.Privileged && container.NoNewPrivileges,
        };
    }
}

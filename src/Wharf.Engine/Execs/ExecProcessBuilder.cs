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
    /// <param name="hostCapabilities">The host's capability bounding set: what a privileged exec gets; null = unknown,
    /// then the container's own bounding set.</param>
    public static SpecProcess Build(SpecProcess container, ExecCreateParams exec, ResolvedUser? user, IReadOnlyList<string>? hostCapabilities = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(exec);
        var env = new List<string>(container.Env);
        if (exec.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            env.Add("TERM=xterm");
        SpecBuilder.ReplaceOrAppend(env, exec.Env);

        var caps = container.Capabilities;
        if (exec.Privileged && (caps is not null || hostCapabilities is not null))
        {
            // As Docker: every capability the host can grant, not only the container's set. runc exec starts the
            // process from the host (its bounding set is the host's, not the container init's), so it may hold
            // more than the container; what the host lacks it can never grant.
            var all = hostCapabilities ?? caps!.Bounding;
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

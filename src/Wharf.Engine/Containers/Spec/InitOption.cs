using Wharf.Core.Oci;

namespace Wharf.Engine.Containers.Spec;

/// <summary>--init: a tiny init (tini) becomes PID 1, reaps zombies and forwards signals to the real process.
/// As Docker does it: the host's static init binary is bind-mounted read-only at /sbin/docker-init and the process
/// runs as <c>/sbin/docker-init -- &lt;args&gt;</c>.</summary>
public static class InitOption
{
    public const string ContainerPath = "/sbin/docker-init";

    /// <summary>Where a static init usually is on the host, best first: Debian's tini ships a static build (the
    /// dynamic one cannot run in an image without glibc, busybox for one), then Docker's own, then any tini.</summary>
    private static readonly string[] s_candidates =
        ["/usr/bin/tini-static", "/usr/libexec/docker/docker-init", "/usr/bin/docker-init", "/usr/local/bin/docker-init", "/usr/bin/tini"];

    public static string DefaultHostPath() => s_candidates.FirstOrDefault(File.Exists) ?? s_candidates[0];

    /// <summary>Whether the container runs with an init: its own HostConfig.Init, else the daemon's default.</summary>
    public static bool IsWanted(HostSettings host, bool daemonDefault)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Init ?? daemonDefault;
    }

    public static RuntimeSpec WithInit(this RuntimeSpec s, string hostInitPath)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s with
        {
            Process = s.Process with { Args = [ContainerPath, "--", .. s.Process.Args] },
            Mounts =
            [
                .. s.Mounts,
                new SpecMount { Destination = ContainerPath, Type = "bind", Source = hostInitPath, Options = ["bind", "ro", "nosuid", "nodev"] },
            ],
        };
    }
}

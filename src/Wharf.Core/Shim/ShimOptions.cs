namespace Wharf.Core.Shim;

/// <summary>How the daemon launches wharf-shim. Each property is one command-line flag; Parse and
/// ToArgs are inverse, so the two sides cannot drift.</summary>
public sealed record ShimOptions
{
    /// <summary>--id: the 64-hex container id (also the runc container id).</summary>
    public required string Id { get; init; }
    /// <summary>--bundle: the OCI bundle directory holding config.json (root.path points at the rootfs).</summary>
    public required string Bundle { get; init; }
    /// <summary>--state-dir: where shim.sock, exit.json and shim.pid live.</summary>
    public required string StateDir { get; init; }
    /// <summary>--runtime: the OCI runtime binary (runc).</summary>
    public required string Runtime { get; init; }
    /// <summary>--runtime-root: runc's --root.</summary>
    public required string RuntimeRoot { get; init; }
    /// <summary>--log: the container's json-file log.</summary>
    public required string LogPath { get; init; }
    /// <summary>--rootfs: a mount point the shim unmounts after the container is gone (optional).</summary>
    public string? RootfsMount { get; init; }
    /// <summary>--stdin: keep a pipe to the container's stdin open (OpenStdin).</summary>
    public bool OpenStdin { get; init; }
    /// <summary>--stdin-once: close the container's stdin when the first attached client closes it.</summary>
    public bool StdinOnce { get; init; }
    /// <summary>--tty: the container has a pseudo-terminal (runc --console-socket).</summary>
    public bool Tty { get; init; }

    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string>
        {
            "--id", Id, "--bundle", Bundle, "--state-dir", StateDir, "--runtime", Runtime,
            "--runtime-root", RuntimeRoot, "--log", LogPath,
        };
        if (RootfsMount is not null) { args.Add("--rootfs"); args.Add(RootfsMount); }
        if (OpenStdin) args.Add("--stdin");
        if (StdinOnce) args.Add("--stdin-once");
        if (Tty) args.Add("--tty");
        return args;
    }

    public static ShimOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--stdin" or "--stdin-once" or "--tty") { flags.Add(a); continue; }
            if (!a.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"unexpected argument \"{a}\"");
            values[a] = args[++i];
        }
        string Need(string k) => values.TryGetValue(k, out var v) ? v : throw new ArgumentException($"missing {k}");
        return new ShimOptions
        {
            Id = Need("--id"),
            Bundle = Need("--bundle"),
            StateDir = Need("--state-dir"),
            Runtime = Need("--runtime"),
            RuntimeRoot = Need("--runtime-root"),
            LogPath = Need("--log"),
            RootfsMount = values.GetValueOrDefault("--rootfs"),
            OpenStdin = flags.Contains("--stdin"),
            StdinOnce = flags.Contains("--stdin-once"),
            Tty = flags.Contains("--tty"),
        };
    }
}

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
    /// <summary>--log-driver: "json-file" (default), "local" (Docker's framed protobuf records, other path and
    /// defaults) or "none" (nothing is written).</summary>
    public string LogDriver { get; init; } = "json-file";
    /// <summary>--log-max-size: rotate the log when it would grow past this many bytes; 0 = never.</summary>
    public long LogMaxSize { get; init; }
    /// <summary>--log-max-file: how many files (the live one included) rotation keeps; at least 1.</summary>
    public int LogMaxFiles { get; init; } = 1;
    /// <summary>--log-compress: gzip rotated files (&lt;log&gt;.1.gz ...).</summary>
    public bool LogCompress { get; init; }
    /// <summary>--log-attrs: extra attributes written on every line ("attrs"), as an URL-encoded query string
    /// ("k=v&amp;k2=v2"); null = none.</summary>
    public string? LogAttrs { get; init; }

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
        if (LogDriver != "json-file") { args.Add("--log-driver"); args.Add(LogDriver); }
        if (LogMaxSize > 0) { args.Add("--log-max-size"); args.Add(LogMaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (LogMaxFiles != 1) { args.Add("--log-max-file"); args.Add(LogMaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (LogCompress) args.Add("--log-compress");
        if (LogAttrs is not null) { args.Add("--log-attrs"); args.Add(LogAttrs); }
        return args;
    }

    public static ShimOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--stdin" or "--stdin-once" or "--tty" or "--log-compress") { flags.Add(a); continue; }
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
            LogDriver = values.GetValueOrDefault("--log-driver") ?? "json-file",
            LogMaxSize = values.TryGetValue("--log-max-size", out var maxSize) ? long.Parse(maxSize, System.Globalization.CultureInfo.InvariantCulture) : 0,
            LogMaxFiles = values.TryGetValue("--log-max-file", out var maxFiles) ? int.Parse(maxFiles, System.Globalization.CultureInfo.InvariantCulture) : 1,
            LogCompress = flags.Contains("--log-compress"),
            LogAttrs = values.GetValueOrDefault("--log-attrs"),
        };
    }
}

using System.Text.Json.Serialization;

namespace Wharf.Core.Shim;

// The daemon <-> wharf-shim protocol. The shim listens on "<stateDir>/shim.sock" (a unix stream socket).
// Every connection starts with ONE request: a single line of JSON (ShimRequest) ending in '\n'.
// The shim then answers with ONE line of JSON (ShimResponse) ending in '\n'. For "attach" the
// connection then turns into a raw stream (see ShimOps.Attach). Everything is UTF-8.

/// <summary>Request operation names.</summary>
public static class ShimOps
{
    /// <summary>Run the container (runc run -d). Answer: Ok + Pid, or Ok=false + Error (runc's own words).
    /// Attachers connected before "start" see all output from the first byte.</summary>
    public const string Start = "start";

    /// <summary>The daemon gave up before asking for start (the container's network could not be wired, the
    /// request was cancelled): the shim closes attached streams and exits, leaving runc and the rootfs alone, which
    /// it never touched. Refused once start was asked. Answer: Ok.</summary>
    public const string Abandon = "abandon";

    /// <summary>Answer once the container has exited and its output is drained: ExitCode + FinishedAt.
    /// Answers at once when it has already exited.</summary>
    public const string Wait = "wait";

    /// <summary>Send Signal to the container's init (All: to every process in it). Answer: Ok.</summary>
    public const string Kill = "kill";

    /// <summary>Answer: Status ("created"|"running"|"exited"), Pid, ExitCode/FinishedAt when exited.</summary>
    public const string State = "state";

    /// <summary>After the Ok answer the connection is a raw duplex stream.
    /// shim -> client: container output. Without a TTY each chunk is framed like Docker's stdcopy:
    /// 8-byte header [stream (1 stdout, 2 stderr), 0, 0, 0, big-endian uint32 length] then the bytes.
    /// With a TTY the bytes are sent unframed. The shim closes (shuts down) its side once the
    /// container has exited and all output has been sent.
    /// client -> shim: bytes for the container's stdin (only when Stdin was requested and the
    /// container was created with OpenStdin); the client's half-close (EOF) closes the container's
    /// stdin when it was created with StdinOnce.</summary>
    public const string Attach = "attach";

    /// <summary>Resize the TTY: Height, Width. Answer: Ok.</summary>
    public const string Resize = "resize";

    /// <summary>Run an extra process in the container (runc exec -d with Process as process.json; Tty for a
    /// pty). Answer: Ok + Pid once it runs, or Ok=false + Error (runc's words). After Ok the connection is a
    /// raw stream as for attach (framed unless Tty; Stdout/Stderr select what is sent; with Stdin the
    /// client's bytes go to the process and its half-close closes the process's stdin). The shim shuts down
    /// its side once the process has exited and its output is drained. ExecId names it for later
    /// wait/kill/resize requests, which address the exec instead of the container when ExecId is set.</summary>
    public const string Exec = "exec";
}

public sealed record ShimRequest
{
    [JsonPropertyName("op")] public required string Op { get; init; }
    [JsonPropertyName("signal")] public int Signal { get; init; }
    [JsonPropertyName("all")] public bool All { get; init; }
    [JsonPropertyName("stdin")] public bool Stdin { get; init; }
    [JsonPropertyName("stdout")] public bool Stdout { get; init; }
    [JsonPropertyName("stderr")] public bool Stderr { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; }
    /// <summary>exec: the id of the exec; wait/kill/resize: address that exec instead of the container.</summary>
    [JsonPropertyName("execId")] public string? ExecId { get; init; }
    /// <summary>exec: the OCI process to run (runc exec --process).</summary>
    [JsonPropertyName("process")] public Oci.SpecProcess? Process { get; init; }
    /// <summary>exec: give the process a pseudo-terminal.</summary>
    [JsonPropertyName("tty")] public bool Tty { get; init; }
}

public sealed record ShimResponse
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("pid")] public int Pid { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("exitCode")] public int ExitCode { get; init; }
    [JsonPropertyName("finishedAt")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("oomKilled")] public bool OomKilled { get; init; }
}

/// <summary>Written atomically by the shim to "<stateDir>/exit.json" when the container exits, so a
/// daemon that was down at the time still learns the true exit code and finish time.</summary>
public sealed record ShimExitRecord
{
    [JsonPropertyName("exitCode")] public int ExitCode { get; init; }
    [JsonPropertyName("finishedAt")] public DateTimeOffset FinishedAt { get; init; }
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("pid")] public int Pid { get; init; }
    [JsonPropertyName("oomKilled")] public bool OomKilled { get; init; }
}

namespace Wharf.Engine.Execs;

/// <summary>A started exec. <see cref="Stream"/> carries output (stdcopy-framed unless Tty) from the shim and
/// takes stdin; null for a detached exec. <see cref="Exited"/> completes with the exit code.</summary>
public sealed record ExecSession(ExecRecord Exec, Stream? Stream, Task<int> Exited);

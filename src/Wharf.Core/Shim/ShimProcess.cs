namespace Wharf.Core.Shim;

/// <summary>A live wharf-shim process and the state directory it serves (from its --state-dir argument).</summary>
public sealed record ShimProcess(int Pid, string StateDir);

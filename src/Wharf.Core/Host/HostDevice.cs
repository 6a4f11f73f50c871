namespace Wharf.Core.Host;

/// <summary>A device node on the host as stat(2) reports it.</summary>
/// <param name="Type">'c' (character), 'b' (block) or 'p' (fifo).</param>
/// <param name="FileMode">Permission bits only (e.g. 0o666).</param>
public sealed record HostDevice(string Path, char Type, long Major, long Minor, uint FileMode, uint Uid, uint Gid);

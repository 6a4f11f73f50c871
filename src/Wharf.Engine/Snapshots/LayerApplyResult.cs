using Wharf.Core;

namespace Wharf.Engine.Snapshots;

/// <summary>What applying a layer produced: the diff id (sha256 of the uncompressed tar as read), the unpacked
/// size (sum of regular file sizes, as Docker counts it) and how many entries had to be skipped because the
/// file operations could not create them (device nodes/fifos without mknod).</summary>
public sealed record LayerApplyResult(Digest DiffId, long Size, int SkippedEntries);

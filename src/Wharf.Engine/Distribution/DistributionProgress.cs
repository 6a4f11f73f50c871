namespace Wharf.Engine.Distribution;

/// <summary>One progress line of a pull or push, worded as Docker words it ("Pulling fs layer", "Downloading",
/// "Pull complete", "Digest: ...", "Status: ..."). <paramref name="Id"/> is the short layer id or the tag.</summary>
public sealed record DistributionProgress(string? Id, string Status, long? Current = null, long? Total = null)
{
    /// <summary>Set on the final push message: {"Tag","Digest","Size"} as Docker's aux.</summary>
    public (string Tag, string Digest, long Size)? PushResult { get; init; }
}

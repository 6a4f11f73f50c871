namespace Wharf.Engine.Containers;

/// <summary>docker commit's inputs: the new image's name (repo[:tag], optional), message (-m), author (-a),
/// Dockerfile change lines (-c) and whether to pause the container meanwhile (accepted; the writable layer is
/// read without pausing).</summary>
public sealed record CommitOptions(string? Reference, string? Comment, string? Author, IReadOnlyList<string> Changes, bool Pause = true);

namespace Wharf.Engine.Images;

/// <summary>docker image prune's answer: what was untagged and deleted, and the unpacked layer bytes freed.</summary>
public sealed record ImagePruneResult(IReadOnlyList<ImageDeleteAction> Actions, long SpaceReclaimed);

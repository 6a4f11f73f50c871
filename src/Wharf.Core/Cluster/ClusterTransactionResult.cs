namespace Wharf.Core.Cluster;

/// <summary>Whether the compares held (so <see cref="ClusterTransaction.Success"/> ran) and the store revision after
/// the transaction.</summary>
public sealed record ClusterTransactionResult(bool Succeeded, long Revision);

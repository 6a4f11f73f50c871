namespace Wharf.Core.Cluster;

/// <summary>Why a cluster store call failed, so callers can tell "try later" from "your view is stale".</summary>
public enum ClusterStoreError
{
    /// <summary>The store cannot be reached (down, refused, timed out) or refused the request.</summary>
    Unavailable,

    /// <summary>A watch asked for revisions the store has compacted away.</summary>
    Compacted,

    /// <summary>The lease is unknown: it expired or was revoked.</summary>
    LeaseNotFound,

    /// <summary>The request itself is wrong (for example one key written twice in a transaction).</summary>
    InvalidRequest,
}

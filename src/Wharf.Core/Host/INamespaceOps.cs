namespace Wharf.Core.Host;

/// <summary>Network namespaces pinned by a bind mount on a file, so they outlive the processes in them.</summary>
public interface INamespaceOps
{
    /// <summary>Creates a new network namespace (loopback only) pinned at <paramref name="path"/>.</summary>
    void CreateNetworkNamespace(string path);

    /// <summary>Unpins and deletes <paramref name="path"/>. Missing is not an error.</summary>
    void RemoveNetworkNamespace(string path);
}

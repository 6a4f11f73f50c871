using Wharf.Core;

namespace Wharf.Registry.Distribution;

/// <summary>Where everything lives inside the storage driver (the tree is documented in docs/layout.md):
/// <code>
/// blobs/sha256/&lt;hex[0..2]&gt;/&lt;hex&gt;/data                        content, shared by all repositories
/// repositories/&lt;name&gt;/_layers/sha256/&lt;hex&gt;/link                blob is visible in this repository
/// repositories/&lt;name&gt;/_manifests/revisions/sha256/&lt;hex&gt;/link     manifest is in this repository
/// repositories/&lt;name&gt;/_manifests/revisions/sha256/&lt;hex&gt;/mediatype
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/current/link       digest the tag points to
/// repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;/{data,startedat}         upload in progress
/// repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;/chunk-&lt;id&gt;              a chunk still being received
/// </code></summary>
internal static class StoragePaths
{
    public const string BlobsRoot = "blobs/sha256";
    public const string RepositoriesRoot = "repositories";

    public static string Blob(Digest digest) => $"{BlobsRoot}/{digest.Hex[..2]}/{digest.Hex}/data";
    public static string BlobDirectory(Digest digest) => $"{BlobsRoot}/{digest.Hex[..2]}/{digest.Hex}";
    public static string Repository(string name) => $"{RepositoriesRoot}/{name}";
    public static string LayersRoot(string name) => $"{Repository(name)}/_layers/sha256";
    public static string LayerLink(string name, Digest digest) => $"{LayersRoot(name)}/{digest.Hex}/link";
    public static string RevisionsRoot(string name) => $"{Repository(name)}/_manifests/revisions/sha256";
    public static string RevisionDirectory(string name, Digest digest) => $"{RevisionsRoot(name)}/{digest.Hex}";
    public static string RevisionLink(string name, Digest digest) => $"{RevisionDirectory(name, digest)}/link";
    public static string RevisionMediaType(string name, Digest digest) => $"{RevisionDirectory(name, digest)}/mediatype";
    public static string TagsRoot(string name) => $"{Repository(name)}/_manifests/tags";
    public static string TagDirectory(string name, string tag) => $"{TagsRoot(name)}/{tag}";
    public static string TagLink(string name, string tag) => $"{TagDirectory(name, tag)}/current/link";
    public static string UploadsRoot(string name) => $"{Repository(name)}/_uploads";
    public static string UploadDirectory(string name, string uuid) => $"{UploadsRoot(name)}/{uuid}";
    public static string UploadData(string name, string uuid) => $"{UploadDirectory(name, uuid)}/data";
    public static string UploadChunk(string name, string uuid, string id) => $"{UploadDirectory(name, uuid)}/chunk-{id}";
    public static string UploadStartedAt(string name, string uuid) => $"{UploadDirectory(name, uuid)}/startedat";

    /// <summary>The last path segment.</summary>
    public static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];
}

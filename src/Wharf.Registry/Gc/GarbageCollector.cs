using Wharf.Core;
using Wharf.Registry.Distribution;
using Wharf.Registry.Errors;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Gc;

/// <summary>Mark and sweep: every manifest revision of every repository marks itself and the blobs and child
/// manifests it references; unmarked blobs, links to them, and abandoned uploads are deleted. Run it while the
/// registry is stopped or read-only: a push in flight could otherwise lose a blob it has not referenced yet.</summary>
internal sealed class GarbageCollector(IStorageDriver driver, TextWriter log, TimeProvider? time = null, TimeSpan uploadMaxAge = default)
{

    public GarbageCollectionResult Run(bool dryRun)
    {
        var store = new RegistryStore(driver, TimeProvider.System);
        var marked = new HashSet<Digest>();
        var repositories = RepositoryDirectories();
        foreach (var repository in repositories)
        {
            foreach (var revision in store.ManifestRevisions(repository))
            {
                marked.Add(revision);
                log.WriteLine($"{repository}: marking manifest {revision}");
                if (driver.GetContent(StoragePaths.Blob(revision)) is not { } body) continue;
                try
                {
                    var document = ManifestDocument.Parse(body, null);
                    foreach (var blob in document.Blobs.Concat(document.Children))
                    {
                        if (marked.Add(blob)) log.WriteLine($"{repository}: marking blob {blob}");
                    }
                }
                catch (RegistryException e)
                {
                    log.WriteLine($"{repository}: manifest {revision} is unreadable ({e.Message}); its blobs are not marked");
                }
            }
        }

        var swept = new List<Digest>();
        foreach (var prefix in driver.List(StoragePaths.BlobsRoot))
        {
            foreach (var directory in driver.List(prefix))
            {
                if (!Digest.TryParse("sha256:" + StoragePaths.LastSegment(directory), out var digest) || marked.Contains(digest)) continue;
                swept.Add(digest);
                log.WriteLine($"blob eligible for deletion: {digest}");
                if (!dryRun) driver.Delete(directory);
            }
        }

        var uploads = 0;
        foreach (var repository in repositories)
        {
            foreach (var link in driver.List(StoragePaths.LayersRoot(repository)))
            {
                if (Digest.TryParse("sha256:" + StoragePaths.LastSegment(link), out var digest) && swept.Contains(digest) && !dryRun) driver.Delete(link);
            }
            foreach (var upload in driver.List(StoragePaths.UploadsRoot(repository)))
            {
                if (!IsAbandoned(upload)) continue;
                uploads++;
                log.WriteLine($"{repository}: abandoned upload {StoragePaths.LastSegment(upload)}");
                if (!dryRun) driver.Delete(upload);
            }
        }
        log.WriteLine($"{marked.Count} blobs marked, {swept.Count} blobs {(dryRun ? "eligible for deletion" : "deleted")}, {uploads} uploads {(dryRun ? "abandoned" : "removed")}");
        return new GarbageCollectionResult(marked.Count, swept, uploads);
    }

    /// <summary>An upload started longer than the threshold ago (or whose start time is unreadable).</summary>
    private bool IsAbandoned(string upload)
    {
        if (uploadMaxAge <= TimeSpan.Zero) return true;
        var startedAt = driver.GetContent(upload + "/startedat");
        if (startedAt is null || !DateTimeOffset.TryParse(System.Text.Encoding.ASCII.GetString(startedAt), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var started)) return true;
        return (time ?? TimeProvider.System).GetUtcNow() - started > uploadMaxAge;
    }

    /// <summary>Every directory under repositories/ that holds repository data (manifests, layers or uploads).</summary>
    private List<string> RepositoryDirectories()
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(StoragePaths.RepositoriesRoot);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var isRepository = false;
            foreach (var child in driver.List(directory))
            {
                var name = StoragePaths.LastSegment(child);
                if (name is "_manifests" or "_layers" or "_uploads") isRepository = true;
                else if (driver.Stat(child) is { IsDirectory: true }) pending.Push(child);
            }
            if (isRepository) found.Add(directory[(StoragePaths.RepositoriesRoot.Length + 1)..]);
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }
}

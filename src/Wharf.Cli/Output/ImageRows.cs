using System.Text.Json;
using Wharf.Api.Images;

namespace Wharf.Cli.Output;

/// <summary>Projects image list items to docker images' formatter fields: one row per repo:tag.</summary>
internal static class ImageRows
{
    public const string DefaultTableFormat = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
        ["VirtualSize"] = "SIZE",
    };

    public static IEnumerable<JsonElement> ToRows(ImageSummary image, bool truncate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tags = image.RepoTags.Where(t => t != "<none>:<none>").ToList();
        var pairs = new List<(string Repository, string Tag, string Digest)>();
        foreach (var repoTag in tags)
        {
            var colon = repoTag.LastIndexOf(':');
            var slash = repoTag.LastIndexOf('/');
            var (repo, tag) = colon > slash ? (repoTag[..colon], repoTag[(colon + 1)..]) : (repoTag, "<none>");
            var digest = image.RepoDigests.FirstOrDefault(d => d.StartsWith(repo + "@", StringComparison.Ordinal));
            pairs.Add((repo, tag, digest is null ? "<none>" : digest[(digest.IndexOf('@', StringComparison.Ordinal) + 1)..]));
        }

        if (pairs.Count == 0)
        {
            // Untagged but pulled by digest: docker shows the repository with tag <none>.
            foreach (var repoDigest in image.RepoDigests.Where(d => d != "<none>@<none>"))
            {
                var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
                pairs.Add((at > 0 ? repoDigest[..at] : repoDigest, "<none>", at > 0 ? repoDigest[(at + 1)..] : "<none>"));
            }
        }

        if (pairs.Count == 0)
        {
            pairs.Add(("<none>", "<none>", "<none>"));
        }

        var created = image.Created == 0 ? "N/A" : HumanUnits.Ago(image.Created, now);
        foreach (var (repository, tag, digest) in pairs)
        {
            yield return JsonOutput.ObjectOfStrings(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ID"] = truncate ? ContainerRows.ShortId(image.Id) : image.Id,
                ["Repository"] = repository,
                ["Tag"] = tag,
                ["Digest"] = digest,
                ["CreatedSince"] = created,
                ["CreatedAt"] = ContainerRows.GoTimeString(DateTimeOffset.FromUnixTimeSeconds(image.Created).ToLocalTime()),
                ["Size"] = HumanUnits.Size(image.Size, 3),
                ["Containers"] = image.Containers < 0 ? "N/A" : image.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SharedSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.SharedSize, 3),
                ["UniqueSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize, 3),
                ["VirtualSize"] = HumanUnits.Size(image.Size, 3),
            });
        }
    }
}

using System.Formats.Tar;
using System.Text;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Tests.Images;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>Mutated `docker load` archives (fixed seed, see <see cref="FuzzSettings"/>) through ImageService.Load: the
/// images it loads or an invalid-argument <see cref="EngineException"/>, never any other exception, never a hang,
/// never anything read, written or linked outside the load's scratch directory (a bait directory beside it catches
/// any escape). Seeds are real `docker save` output (docker-archive and OCI layout in one) and a legacy layout whose
/// config is not named by its digest, so a mutated config reaches the config parser. Mutations work on the tar bytes
/// (bit flips, truncation, gzip) and on its members: a JSON member mutated (re-hashed, with every reference to it
/// rewritten, so the digest checks pass and the parsers behind them are reached), members dropped, repeated or
/// renamed to climb out, and links planted to the bait.</summary>
public sealed class ImageLoadFuzzTests : IDisposable
{
    private static readonly string[] JsonTokens =
    [
        "null", "[]", "{}", "\"\"", "[null]", "{\"rootfs\":null}", "\"diff_ids\":null", "\"Layers\":null", "\"Config\":null",
        "\"RepoTags\":[\"!!\"]", "\"manifests\":[null]", "\"config\":null", "\"layers\":null", "\"digest\":\"sha256:\"",
        "\"io.containerd.image.name\":\"UPPER/x:y\"", "\"org.opencontainers.image.ref.name\":\"a:b:c\"", ",", "\"", "1e999",
    ];

    private static readonly string[] HostileNames = ["../escape", "/abs", "a/../../b", "./manifest.json", "blobs/../../x", "index.json/x", "a\u0001b"];

    private readonly ImageServiceHarness _source = new();
    private readonly ImageServiceHarness _target = new();
    private readonly ImageTestDirectory _bait = new();

    public ImageLoadFuzzTests()
    {
        File.WriteAllText(_bait.Combine("secret"), "secret");
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
        _bait.Dispose();
    }

    [Fact]
    public async Task Load_MutatedArchives_ImagesOrEngineErrorAndNothingOutside()
    {
        var seeds = await SeedArchivesAsync();
        foreach (var archive in seeds) Assert.NotEmpty(_target.Service.Load(new MemoryStream(Build(archive)), null));
        var seed = FuzzSettings.Seed(16007);
        var mutator = new FuzzMutator(seed, JsonTokens);
        var rounds = FuzzSettings.Rounds(800);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var round = 0; round < rounds; round++)
        {
            var archive = seeds[mutator.Random.Next(seeds.Count)].Select(m => m with { }).ToList();
            byte[] bytes;
            if (mutator.Random.Next(5) == 0)
            {
                bytes = Build(archive);
                bytes = mutator.Random.Next(3) == 0 ? TarBuilder.Gzip(mutator.Mutate(bytes, [])) : mutator.Mutate(bytes, []);
            }
            else
            {
                for (var edits = mutator.Random.Next(1, 3); edits > 0; edits--) MutateMembers(archive, mutator);
                bytes = Build(archive);
                if (mutator.Random.Next(8) == 0) bytes = TarBuilder.Gzip(bytes);
            }
            Check(bytes, $"seed {seed} round {round}", failures);
        }
        // Every distinct failure at once (by type and place), not only the first: each is a finding of its own.
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Values));
    }

    /// <summary>Found by the fuzzer: a config whose rootfs (or its diff_ids) is JSON null was a NullReferenceException.</summary>
    [Theory]
    [InlineData("{\"rootfs\":null}")]
    [InlineData("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":null}}")]
    public void Load_ConfigWithNullRootfs_InvalidImageConfig(string config)
    {
        var archive = new List<Member>
        {
            new("manifest.json", TarEntryType.RegularFile, "[{\"Config\":\"config.json\",\"Layers\":[]}]"u8.ToArray(), ""),
            new("config.json", TarEntryType.RegularFile, Encoding.UTF8.GetBytes(config), ""),
        };

        var error = Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(Build(archive)), null));

        Assert.Equal("invalid image config: no rootfs", error.Message);
    }

    /// <summary>Found by the fuzzer: an OCI manifest blob (matching its digest) that is not JSON, or whose layers hold a
    /// null, escaped as a JsonException / NullReferenceException instead of the load's own error.</summary>
    [Theory]
    [InlineData("{\"config\":{\"digest\":\"sha256:")]
    [InlineData("{\"config\":{\"digest\":\"sha256:0\"},\"layers\":[null]}")]
    public void Load_BrokenManifestBlob_InvalidArchive(string manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest);
        var digest = Digest.Compute(bytes);
        var archive = new List<Member>
        {
            new("index.json", TarEntryType.RegularFile, Encoding.UTF8.GetBytes("{\"manifests\":[{\"digest\":\"" + digest + "\"}]}"), ""),
            new("blobs/sha256/" + digest.Hex, TarEntryType.RegularFile, bytes, ""),
        };

        var error = Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(Build(archive)), null));

        Assert.StartsWith("invalid archive: manifest " + digest, error.Message, StringComparison.Ordinal);
    }

    /// <summary>JSON nulls where docker-archive and OCI index members are required: the load's own error.</summary>
    [Theory]
    [InlineData("manifest.json", "[null]")]
    [InlineData("manifest.json", "[{\"Config\":null,\"Layers\":[]}]")]
    [InlineData("manifest.json", "[{\"Config\":\"c\",\"Layers\":null}]")]
    [InlineData("manifest.json", "[{\"Config\":\"c\",\"Layers\":[null]}]")]
    [InlineData("index.json", "{\"manifests\":null}")]
    [InlineData("index.json", "{\"manifests\":[null]}")]
    public void Load_NullWhereAMemberIsRequired_InvalidArchive(string name, string json)
    {
        var archive = new List<Member> { new(name, TarEntryType.RegularFile, Encoding.UTF8.GetBytes(json), "") };

        var error = Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(Build(archive)), null));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    private void Check(byte[] bytes, string where, Dictionary<string, string> failures)
    {
        FuzzSettings.WithinTimeBound(() =>
        {
            try
            {
                _target.Service.Load(new MemoryStream(bytes), null);
            }
            catch (EngineException e)
            {
                Assert.True(e.Kind == ErrorKind.InvalidArgument, $"{where}: {e.Kind} {e.Message}");
            }
            catch (Exception e)
            {
                var place = e.GetType().Name + " " + e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Wharf.", StringComparison.Ordinal));
                failures.TryAdd(place, $"{where}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }, () => where);
        Assert.True(Directory.EnumerateFileSystemEntries(_bait.Path).SequenceEqual([_bait.Combine("secret")]), $"{where}: something appeared in the bait directory");
        Assert.Equal("secret", File.ReadAllText(_bait.Combine("secret")));
    }

    private void MutateMembers(List<Member> archive, FuzzMutator mutator)
    {
        var random = mutator.Random;
        var at = random.Next(archive.Count);
        switch (random.Next(6))
        {
            case 0 or 1:
                // A JSON member (manifest.json, index.json, a manifest or config blob) mutated, re-hashed if it is a blob.
                var json = archive.Where(m => m.Type == TarEntryType.RegularFile && m.Content.Length < 64 * 1024 && m.Content.Length > 0 && m.Content[0] is (byte)'{' or (byte)'[').ToList();
                if (json.Count == 0) break;
                var target = json[random.Next(json.Count)];
                var mutated = mutator.Mutate(target.Content, json.Select(j => j.Content).ToList());
                archive[archive.IndexOf(target)] = target with { Content = mutated };
                if (random.Next(4) != 0) Rehash(archive);
                break;
            case 2:
                archive.RemoveAt(at);
                if (archive.Count == 0) archive.Add(new Member("manifest.json", TarEntryType.RegularFile, "[]"u8.ToArray(), ""));
                break;
            case 3:
                archive.Insert(random.Next(archive.Count + 1), archive[at] with { });
                break;
            case 4:
                archive[at] = archive[at] with { Name = mutator.Pick(HostileNames) + (random.Next(2) == 0 ? "" : "/" + archive[at].Name) };
                break;
            default:
                var type = random.Next(2) == 0 ? TarEntryType.SymbolicLink : TarEntryType.HardLink;
                var link = random.Next(3) switch { 0 => _bait.Combine("secret"), 1 => "../" + Path.GetFileName(_bait.Path) + "/secret", _ => archive[random.Next(archive.Count)].Name };
                var name = random.Next(2) == 0 ? archive[at].Name : mutator.Pick(["manifest.json", "index.json", "blobs/sha256", "x/y"]);
                archive.Insert(random.Next(archive.Count + 1), new Member(name, type, [], link));
                break;
        }
    }

    /// <summary>Renames every blob whose content no longer matches its name and rewrites the references to it, until
    /// the archive's digests agree again (a few passes: config, then manifest, then index).</summary>
    private static void Rehash(List<Member> archive)
    {
        for (var pass = 0; pass < 4; pass++)
        {
            var changed = false;
            for (var i = 0; i < archive.Count; i++)
            {
                var member = archive[i];
                if (member.Type != TarEntryType.RegularFile || !member.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal)) continue;
                var oldHex = member.Name["blobs/sha256/".Length..];
                var newHex = Digest.Compute(member.Content).Hex;
                if (oldHex == newHex || oldHex.Length != 64) continue;
                archive[i] = member with { Name = "blobs/sha256/" + newHex };
                for (var j = 0; j < archive.Count; j++)
                {
                    var other = archive[j];
                    if (j == i || other.Content.Length >= 64 * 1024) continue;
                    var text = Encoding.Latin1.GetString(other.Content);
                    if (text.Contains(oldHex, StringComparison.Ordinal)) archive[j] = other with { Content = Encoding.Latin1.GetBytes(text.Replace(oldHex, newHex, StringComparison.Ordinal)) };
                }
                changed = true;
            }
            if (!changed) return;
        }
    }

    private async Task<List<List<Member>>> SeedArchivesAsync()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs("fuzz"), "fuzz/app:1");
        _source.Service.Tag(image.Id.Value, "fuzz/app", "2");
        using var saved = new MemoryStream();
        _source.Service.Save(["fuzz/app"], saved);
        var both = Read(saved.ToArray());
        var config = both.Single(m => m.Name == "blobs/sha256/" + image.Id.Hex).Content;
        var layer = both.Single(m => m.Name == "blobs/sha256/" + image.DiffIds[0].Hex).Content;
        var legacy = new List<Member>
        {
            new("manifest.json", TarEntryType.RegularFile, Encoding.UTF8.GetBytes("[{\"Config\":\"config.json\",\"RepoTags\":[\"fuzz/legacy:1\"],\"Layers\":[\"l/layer.tar\"]}]"), ""),
            new("config.json", TarEntryType.RegularFile, config, ""),
            new("l/layer.tar", TarEntryType.RegularFile, layer, ""),
        };
        var ociOnly = both.Where(m => m.Name != "manifest.json").ToList();
        return [both, legacy, ociOnly];
    }

    private static List<Member> Read(byte[] tar)
    {
        var members = new List<Member>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            members.Add(new Member(entry.Name, entry.EntryType, data.ToArray(), entry.LinkName));
        }
        return members;
    }

    private static byte[] Build(List<Member> archive)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var member in archive)
            {
                var entry = new PaxTarEntry(member.Type, member.Name.Length == 0 ? "x" : member.Name);
                if (member.Type is TarEntryType.SymbolicLink or TarEntryType.HardLink) entry.LinkName = member.Link;
                if (member.Type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream(member.Content);
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    private sealed record Member(string Name, TarEntryType Type, byte[] Content, string Link);
}

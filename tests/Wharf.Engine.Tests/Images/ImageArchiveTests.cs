using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ImageArchiveTests : IDisposable
{
    private readonly ImageServiceHarness _source = new();
    private readonly ImageServiceHarness _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    [Fact]
    public async Task SaveThenLoad_IntoAnotherStore_KeepsImageIdLayerDigestsAndTags()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs("roundtrip"), "demo/app:1");
        _source.Service.Tag(image.Id.Value, "demo/app", "2");

        var archive = Save("demo/app");
        var results = _target.Service.Load(new MemoryStream(archive), null);

        var loaded = Assert.Single(results);
        Assert.Equal(image.Id, loaded.Image.Id);
        Assert.Equal(image.DiffIds, loaded.Image.DiffIds);
        Assert.Equal(["demo/app:1", "demo/app:2"], loaded.References.Order().ToArray());
        Assert.Equal(image.Id, _target.Service.Resolve("demo/app:2").Id);
        Assert.Contains(_target.Events, e => e.Action == "load");
    }

    [Fact]
    public async Task Save_WritesDockerArchiveAndOciLayoutTogether()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs(), "busybox:latest");

        var entries = ReadArchive(Save("busybox"));

        Assert.Contains("oci-layout", entries.Keys);
        Assert.Contains("blobs/sha256/" + image.Id.Hex, entries.Keys);
        Assert.Contains("blobs/sha256/" + image.DiffIds[0].Hex, entries.Keys);
        using var manifest = JsonDocument.Parse(entries["manifest.json"]);
        var entry = manifest.RootElement[0];
        Assert.Equal("blobs/sha256/" + image.Id.Hex, entry.GetProperty("Config").GetString());
        Assert.Equal("busybox:latest", entry.GetProperty("RepoTags")[0].GetString());
        Assert.Equal("blobs/sha256/" + image.DiffIds[0].Hex, entry.GetProperty("Layers")[0].GetString());
        using var index = JsonDocument.Parse(entries["index.json"]);
        var descriptor = index.RootElement.GetProperty("manifests")[0];
        Assert.Equal("docker.io/library/busybox:latest", descriptor.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());
        var manifestBlob = entries["blobs/" + descriptor.GetProperty("digest").GetString()!.Replace(':', '/')];
        Assert.Equal(descriptor.GetProperty("digest").GetString(), Digest.Compute(manifestBlob).Value);
    }

    [Fact]
    public async Task Load_OciLayoutOnly_GzipLayer_IsLoaded()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs("oci"), "oci/only:v1");
        var entries = ReadArchive(Save("oci/only:v1"));
        // Keep only the OCI layout and gzip the layer blob (as a registry-style layout would carry it).
        var layer = entries["blobs/sha256/" + image.DiffIds[0].Hex];
        var gz = TarBuilder.Gzip(layer);
        var gzDigest = Digest.Compute(gz);
        var manifest = new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = image.Id.Value, size = entries["blobs/sha256/" + image.Id.Hex].Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = gzDigest.Value, size = gz.Length } },
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        var manifestDigest = Digest.Compute(manifestBytes);
        var indexJson = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest +
            "\",\"size\":" + manifestBytes.Length + ",\"annotations\":{\"io.containerd.image.name\":\"docker.io/oci/only:v1\"}}]}";
        var archive = BuildTar(
            ("oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}")),
            ("index.json", Encoding.UTF8.GetBytes(indexJson)),
            ("blobs/sha256/" + manifestDigest.Hex, manifestBytes),
            ("blobs/sha256/" + image.Id.Hex, entries["blobs/sha256/" + image.Id.Hex]),
            ("blobs/sha256/" + gzDigest.Hex, gz));

        var loaded = Assert.Single(_target.Service.Load(new MemoryStream(archive), null));

        Assert.Equal(image.Id, loaded.Image.Id);
        Assert.Equal(["oci/only:v1"], loaded.References);
        Assert.Equal(layer, _target.Service.Content.ReadAllBytes(image.DiffIds[0]));
    }

    [Fact]
    public async Task Load_LegacyLayoutWithSymlinkedLayerAndGzipArchive_IsLoaded()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs("legacy"), "legacy:1");
        var entries = ReadArchive(Save("legacy:1"));
        var config = entries["blobs/sha256/" + image.Id.Hex];
        var layer = entries["blobs/sha256/" + image.DiffIds[0].Hex];
        var manifest = "[{\"Config\":\"" + image.Id.Hex + ".json\",\"RepoTags\":[\"legacy:1\"],\"Layers\":[\"bbb/layer.tar\"]}]";
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, "aaa/layer.tar", layer);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bbb/layer.tar") { LinkName = "../aaa/layer.tar" });
            Add(writer, image.Id.Hex + ".json", config);
            Add(writer, "manifest.json", Encoding.UTF8.GetBytes(manifest));
        }

        var loaded = Assert.Single(_target.Service.Load(new MemoryStream(TarBuilder.Gzip(buffer.ToArray())), null));

        Assert.Equal(image.Id, loaded.Image.Id);
    }

    [Fact]
    public async Task Load_LayerNotMatchingDiffId_FailsAndLeavesNothing()
    {
        var image = await _source.ImportAsync(TarBuilder.SmallRootfs("x"), "bad:1");
        var entries = ReadArchive(Save("bad:1"));
        var other = TarBuilder.SmallRootfs("tampered");
        var manifest = "[{\"Config\":\"blobs/sha256/" + image.Id.Hex + "\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"blobs/sha256/" + image.DiffIds[0].Hex + "\"]}]";
        var archive = BuildTar(
            ("blobs/sha256/" + image.Id.Hex, entries["blobs/sha256/" + image.Id.Hex]),
            ("blobs/sha256/" + image.DiffIds[0].Hex, other),
            ("manifest.json", Encoding.UTF8.GetBytes(manifest)));

        var error = Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(archive), null));

        Assert.Contains("invalid diffID for layer 0", error.Message);
        Assert.Empty(_target.Service.List());
        Assert.Empty(_target.Service.Content.List());
        Assert.Empty(_target.Entries("content", "ingest"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs/path")]
    public void Load_HostileEntryName_IsRejected(string name)
    {
        var archive = BuildTar((name, "x"u8.ToArray()), ("manifest.json", "[]"u8.ToArray()));

        var error = Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(archive), null));

        Assert.Contains("invalid archive entry", error.Message);
        Assert.Empty(_target.Entries("content", "ingest"));
    }

    [Fact]
    public async Task Load_HostileLayerContent_IsRejectedWithNoImageOrBlobLeft()
    {
        var hostile = new TarBuilder().File("../../etc/evil", "pwned").Build();
        var diffId = Digest.Compute(hostile);
        var config = JsonSerializer.SerializeToUtf8Bytes(new Wharf.Core.Oci.ImageConfig { RootFs = new Wharf.Core.Oci.RootFs { DiffIds = [diffId.Value] } }, CoreJsonContext.Default.ImageConfig);
        var configDigest = Digest.Compute(config);
        var manifest = "[{\"Config\":\"blobs/sha256/" + configDigest.Hex + "\",\"RepoTags\":[\"evil:1\"],\"Layers\":[\"blobs/sha256/" + diffId.Hex + "\"]}]";
        var archive = BuildTar(("blobs/sha256/" + configDigest.Hex, config), ("blobs/sha256/" + diffId.Hex, hostile), ("manifest.json", Encoding.UTF8.GetBytes(manifest)));
        await Task.CompletedTask;

        Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(archive), null));

        Assert.Empty(_target.Service.List());
        Assert.Empty(_target.Service.Content.List());
        Assert.False(File.Exists(Path.Combine(_target.Root.Path, "..", "etc", "evil")));
    }

    [Fact]
    public void Load_TruncatedArchive_IsRejected()
    {
        var archive = BuildTar(("manifest.json", new byte[4000]));

        Assert.Throws<EngineException>(() => _target.Service.Load(new MemoryStream(archive[..1500]), null));
        Assert.Empty(_target.Entries("content", "ingest"));
    }

    private byte[] Save(params string[] names)
    {
        using var buffer = new MemoryStream();
        _source.Service.Save(names, buffer);
        return buffer.ToArray();
    }

    private static Dictionary<string, byte[]> ReadArchive(byte[] tar)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var data = new MemoryStream();
            entry.DataStream.CopyTo(data);
            result[entry.Name] = data.ToArray();
        }
        return result;
    }

    private static byte[] BuildTar(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files) Add(writer, name, content);
        }
        return buffer.ToArray();
    }

    private static void Add(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
}

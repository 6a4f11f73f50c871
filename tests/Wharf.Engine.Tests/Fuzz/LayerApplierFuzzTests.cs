using System.Formats.Tar;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>Random and mutated layer tars (fixed seeds, so a failure replays): the applier either succeeds or
/// fails with an <see cref="EngineException"/>, and never creates, changes or follows anything outside its root.
/// A bait directory next to the root and absolute paths into it catch any escape.</summary>
public sealed class LayerApplierFuzzTests : IDisposable
{
    private static readonly string[] NameParts = ["a", "b", "c", "..", ".", "", ".wh.a", ".wh..wh..opq", ".wh.b", "x y", "ü", new string('n', 120)];
    private static readonly TarEntryType[] Types =
    [
        TarEntryType.RegularFile, TarEntryType.Directory, TarEntryType.SymbolicLink, TarEntryType.HardLink,
        TarEntryType.Fifo, TarEntryType.CharacterDevice, TarEntryType.BlockDevice,
    ];

    private readonly ImageTestDirectory _dir = new();
    private readonly string _bait;

    public LayerApplierFuzzTests()
    {
        _bait = _dir.Combine("bait");
        Directory.CreateDirectory(_bait);
        File.WriteAllText(Path.Combine(_bait, "secret"), "secret");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Apply_RandomHostileArchives_OnlyEngineErrorsAndNothingOutsideRoot()
    {
        var seed = FuzzSettings.Seed(4242);
        var random = new Random(seed);
        for (var round = 0; round < FuzzSettings.Rounds(1500); round++)
        {
            var tar = RandomArchive(random);
            ApplyAndCheck(tar, hasParent: random.Next(2) == 0, $"seed {seed} round {round}");
        }
    }

    [Fact]
    public void Apply_MutatedAndTruncatedArchives_OnlyEngineErrorsAndNothingOutsideRoot()
    {
        var seed = FuzzSettings.Seed(777);
        var random = new Random(seed);
        var valid = new[] { TarBuilder.SmallRootfs(), RandomArchive(new Random(1)), RandomArchive(new Random(2)) };
        for (var round = 0; round < FuzzSettings.Rounds(1500); round++)
        {
            var bytes = (byte[])valid[random.Next(valid.Length)].Clone();
            switch (random.Next(3))
            {
                case 0:
                    for (var flips = random.Next(1, 8); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                default:
                    // Header fields hit on purpose: name, mode, size, checksum, type flag, link name, magic.
                    var header = 512 * random.Next(Math.Max(1, bytes.Length / 512));
                    var field = new[] { 0, 100, 124, 148, 156, 157, 257 }[random.Next(7)];
                    if (header + field < bytes.Length) bytes[header + field] = (byte)random.Next(256);
                    break;
            }
            ApplyAndCheck(bytes, hasParent: random.Next(2) == 0, $"seed {seed} round {round}");
        }
    }

    private void ApplyAndCheck(byte[] tar, bool hasParent, string round)
    {
        var root = _dir.Combine("root");
        Directory.CreateDirectory(root);
        try
        {
            try
            {
                new LayerApplier(new ManagedFileSystemOps()).Apply(new MemoryStream(tar), root, hasParent);
            }
            catch (EngineException)
            {
                // The expected way to refuse an archive.
            }
            catch (Exception e)
            {
                Assert.Fail($"{round}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            Assert.True(Directory.EnumerateFileSystemEntries(_dir.Path).Order().SequenceEqual([_bait, root], StringComparer.Ordinal),
                $"{round}: something appeared next to the root");
            Assert.Equal([Path.Combine(_bait, "secret")], Directory.EnumerateFileSystemEntries(_bait));
            Assert.Equal("secret", File.ReadAllText(Path.Combine(_bait, "secret")));
        }
        finally
        {
            MakeWritable(root);
            Directory.Delete(root, recursive: true);
        }
    }

    private byte[] RandomArchive(Random random)
    {
        var builder = new TarBuilder();
        for (var count = random.Next(1, 12); count > 0; count--)
        {
            var type = Types[random.Next(Types.Length)];
            var name = RandomName(random);
            if (type == TarEntryType.Directory && random.Next(2) == 0) name += "/";
            var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)random.Next(0, 0xFFF), ModificationTime = DateTimeOffset.FromUnixTimeSeconds(random.Next()) };
            if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink) entry.LinkName = RandomTarget(random);
            if (type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(new string('d', random.Next(0, 300))));
            builder.Add(entry);
        }
        return builder.Build();
    }

    private string RandomName(Random random)
    {
        if (random.Next(10) == 0) return random.Next(2) == 0 ? Path.Combine(_bait, "evil") : "/" + NameParts[random.Next(NameParts.Length)];
        var parts = new string[random.Next(1, 4)];
        for (var i = 0; i < parts.Length; i++) parts[i] = NameParts[random.Next(NameParts.Length)];
        var name = string.Join('/', parts);
        return name.Length == 0 ? "a" : name;
    }

    private string RandomTarget(Random random) => random.Next(6) switch
    {
        0 => _bait,
        1 => Path.Combine(_bait, "secret"),
        2 => "../bait",
        3 => "../../" + Path.GetFileName(_dir.Path) + "/bait/secret",
        _ => RandomName(random),
    };

    /// <summary>Mode 0700 on every real directory below <paramref name="path"/> so it can be deleted without root.
    /// Recurses by hand and never into a symlink: the archives plant links to "/" and to the bait.</summary>
    private static void MakeWritable(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var child in Directory.EnumerateDirectories(path))
        {
            if (new DirectoryInfo(child).LinkTarget is null) MakeWritable(child);
        }
    }
}

using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Tests.Images;

/// <summary>An ImageService over a temp data root with a fixed clock and a recorded event list.</summary>
internal sealed class ImageServiceHarness : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public ImageServiceHarness()
    {
        Service = Open();
    }

    public ImageTestDirectory Root { get; } = new();
    public FixedTimeProvider Clock { get; } = new(Epoch);
    public List<(string Action, string Id, IReadOnlyDictionary<string, string> Attributes)> Events { get; } = [];
    public ImageService Service { get; private set; }

    /// <summary>A new service over the same data root, as after a daemon restart.</summary>
    public ImageService Reopen() => Service = Open();

    public Task<ImageRecord> ImportAsync(byte[] tar, string? reference = null, IReadOnlyList<string>? changes = null, string? message = null) =>
        Service.ImportAsync(new MemoryStream(tar), reference, changes ?? [], message, CancellationToken.None);

    public string[] Entries(params string[] parts) =>
        Directory.Exists(Root.Combine(parts)) ? Directory.GetFileSystemEntries(Root.Combine(parts)).Select(p => Path.GetFileName(p)).ToArray() : [];

    public void Dispose() => Root.Dispose();

    private ImageService Open() =>
        new(Root.Path, new OverlaySnapshotter(Root.Path), Clock, (action, id, attributes) => Events.Add((action, id, attributes)));
}

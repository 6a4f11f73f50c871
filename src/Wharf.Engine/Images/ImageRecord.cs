using Wharf.Core;
using Wharf.Core.Oci;

namespace Wharf.Engine.Images;

/// <summary>An image as the engine knows it. <paramref name="Id"/> is the sha256 of the config blob bytes;
/// <paramref name="RepoTags"/> are familiar strings ("busybox:latest"); <paramref name="Size"/> is the unpacked
/// size of all layers in bytes.</summary>
public sealed record ImageRecord(Digest Id, ImageConfig Config, IReadOnlyList<string> RepoTags, long Size,
    DateTimeOffset Created, DateTimeOffset? LastTagTime)
{
    /// <summary>The layers' diff ids, bottom first.</summary>
    public IReadOnlyList<Digest> DiffIds => Config.RootFs.DiffIds.Select(Digest.Parse).ToArray();

    /// <summary>The 12-character id Docker shows.</summary>
    public string ShortId => Id.Hex[..12];

    /// <summary>The image this one was built on by a build step ("sha256:..."), null when not built here.</summary>
    public string? Parent { get; init; }
}

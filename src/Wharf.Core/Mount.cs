namespace Wharf.Core;

/// <summary>A mount described as data (what the engine decides); the Linux layer performs it.</summary>
/// <param name="Type">Filesystem type, e.g. "overlay", "bind", "tmpfs".</param>
/// <param name="Source">Device or source path ("overlay" for overlayfs).</param>
/// <param name="Target">Where it is mounted.</param>
/// <param name="Options">mount(8)-style options, e.g. "lowerdir=a:b", "upperdir=...", "ro", "rbind".</param>
public sealed record Mount(string Type, string Source, string Target, IReadOnlyList<string> Options);

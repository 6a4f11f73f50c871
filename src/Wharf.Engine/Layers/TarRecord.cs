namespace Wharf.Engine.Layers;

/// <summary>One tar header as the layer writer emits it. <paramref name="TypeFlag"/> is the ustar type byte
/// ('0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' fifo);
/// <paramref name="Mode"/> holds permission bits only.</summary>
public sealed record TarRecord(char TypeFlag, string Name, uint Mode, int Uid = 0, int Gid = 0, long Size = 0,
    long ModificationTime = 0, string? LinkName = null, int DevMajor = 0, int DevMinor = 0,
    IReadOnlyList<KeyValuePair<string, byte[]>>? Xattrs = null);

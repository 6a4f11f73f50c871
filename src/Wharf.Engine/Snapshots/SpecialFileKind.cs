namespace Wharf.Engine.Snapshots;

/// <summary>The node types that need mknod(2).</summary>
public enum SpecialFileKind
{
    CharacterDevice,
    BlockDevice,
    Fifo,
}

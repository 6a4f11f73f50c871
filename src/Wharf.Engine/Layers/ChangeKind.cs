namespace Wharf.Engine.Layers;

/// <summary>docker diff's kinds, with Docker's numbering (0 modified, 1 added, 2 deleted).</summary>
public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}

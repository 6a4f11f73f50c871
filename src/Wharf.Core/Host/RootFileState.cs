namespace Wharf.Core.Host;

/// <summary>What <see cref="IRootConfinement.ReadFileAsync"/> found at a path inside a root.</summary>
public enum RootFileState
{
    /// <summary>Nothing there (or a parent is not a directory, or the links loop).</summary>
    Missing,

    /// <summary>A regular file no larger than the bound: its content was read.</summary>
    Regular,

    /// <summary>A directory, FIFO, socket or device node: never opened for reading.</summary>
    NotRegular,

    /// <summary>A regular file larger than the bound: not read.</summary>
    TooLarge,
}

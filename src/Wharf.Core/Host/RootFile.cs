namespace Wharf.Core.Host;

/// <summary>A file read inside a container's root: its state and, for <see cref="RootFileState.Regular"/>, its
/// content (empty otherwise).</summary>
public sealed record RootFile(RootFileState State, byte[] Content)
{
    public static RootFile Missing { get; } = new(RootFileState.Missing, []);

    public static RootFile NotRegular { get; } = new(RootFileState.NotRegular, []);

    public static RootFile TooLarge { get; } = new(RootFileState.TooLarge, []);
}

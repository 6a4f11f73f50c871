namespace Wharf.Engine.Layers;

/// <summary>A directory held open for a walk: <see cref="Path"/> names that very directory until disposed, so a name
/// looked up under it is resolved in it and nowhere else (see <see cref="IFileInspector.PinDirectory"/>).</summary>
public sealed class DirectoryPin(string path, IDisposable? handle = null) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => handle?.Dispose();
}

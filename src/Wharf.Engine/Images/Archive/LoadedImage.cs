namespace Wharf.Engine.Images.Archive;

/// <summary>An image found in a load archive: its exact config bytes and the names it should get.</summary>
internal sealed record LoadedImage(byte[] ConfigBytes, IReadOnlyList<string> References);

namespace Wharf.Engine.Layers;

/// <summary>What writing a layer tar produced: how many entries (0 means an empty layer) and how many content bytes.</summary>
public sealed record LayerWriteResult(int Entries, long ContentBytes);

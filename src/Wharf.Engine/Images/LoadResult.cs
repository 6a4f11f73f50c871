namespace Wharf.Engine.Images;

/// <summary>One image docker load brought in, with the names it now carries (empty: loaded by id only).</summary>
public sealed record LoadResult(ImageRecord Image, IReadOnlyList<string> References);

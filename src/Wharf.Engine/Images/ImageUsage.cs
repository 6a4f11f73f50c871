namespace Wharf.Engine.Images;

/// <summary>One image's disk usage for system df: <paramref name="Size"/> all its layers, <paramref name="SharedSize"/>
/// the part of it other images use too.</summary>
public sealed record ImageUsage(ImageRecord Image, long Size, long SharedSize);

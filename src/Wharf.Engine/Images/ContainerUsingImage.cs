namespace Wharf.Engine.Images;

/// <summary>A container that holds an image, as reported by the container side when an image is removed.
/// A running one can never be forced away; a stopped one only with force.</summary>
public sealed record ContainerUsingImage(string ContainerId, bool Running);

namespace Wharf.Engine.Images;

/// <summary>One line of a docker rmi answer: exactly one of the two is set.</summary>
public sealed record ImageDeleteAction(string? Untagged, string? Deleted)
{
    public static ImageDeleteAction Untag(string reference) => new(reference, null);
    public static ImageDeleteAction Delete(string id) => new(null, id);
}

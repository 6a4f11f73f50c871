namespace Wharf.Engine.Snapshots;

/// <summary>How <c>docker cp</c>'s extraction differs from applying an image layer (see
/// <see cref="LayerApplier.Extract"/>).</summary>
public sealed record ExtractionOptions
{
    /// <summary>Refuse to replace an existing directory with a non-directory or the reverse (the archive API's
    /// <c>noOverwriteDirNonDir</c>, which the docker CLI always sets).</summary>
    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>Owner given to every entry instead of the tar's own (<c>docker cp -a</c> into a container with a
    /// user); null keeps the ownership recorded in the archive, as Docker does.</summary>
    public (int Uid, int Gid)? Owner { get; init; }

    /// <summary>The path the extraction root stands for inside the container, so errors name container paths
    /// rather than the daemon's host paths.</summary>
    public string DisplayRoot { get; init; } = "/";

    /// <summary>Read absolute entry names ("/tmp/x") as relative to the extraction root, as Docker's archive API does
    /// (Testcontainers writes such names); ".." still may not leave the root. Image layers keep refusing them.</summary>
    public bool AbsoluteNamesAreRelative { get; init; }
}

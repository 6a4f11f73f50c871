namespace Wharf.Engine.Containers.Security;

/// <summary>Which seccomp filter a container gets.</summary>
public enum SeccompMode
{
    /// <summary>The built-in profile (Docker's "builtin").</summary>
    Default,
    /// <summary>No filter at all.</summary>
    Unconfined,
    /// <summary>The profile the user passed in SecurityOpt.</summary>
    Custom,
}

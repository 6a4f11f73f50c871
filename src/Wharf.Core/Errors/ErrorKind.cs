namespace Wharf.Core.Errors;

/// <summary>Categories of failure; the API edge maps each to one HTTP status, once.</summary>
public enum ErrorKind
{
    Unknown,
    InvalidArgument,
    NotFound,
    Conflict,
    NotModified,
    Unauthorized,
    Forbidden,
    NotImplemented,
    Unavailable,
}

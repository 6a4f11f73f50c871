namespace Wharf.Core.Errors;

/// <summary>An expected failure with a category and a message worded as Docker words it (clients match on it).</summary>
public sealed class EngineException : Exception
{
    public EngineException(ErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public ErrorKind Kind { get; }

    public static EngineException NotFound(string message) => new(ErrorKind.NotFound, message);
    public static EngineException Conflict(string message) => new(ErrorKind.Conflict, message);
    public static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
    public static EngineException NotModified() => new(ErrorKind.NotModified, "not modified");
    public static EngineException NoSuchContainer(string name) => NotFound($"No such container: {name}");
    public static EngineException NoSuchImage(string name) => NotFound($"No such image: {name}");
}

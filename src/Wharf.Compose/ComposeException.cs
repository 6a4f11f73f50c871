namespace Wharf.Compose;

/// <summary>A compose file or project problem, raised before anything is created. The message names the
/// file, line and key ("compose.yaml:12: services.web.ports: ...") so a user can go straight to it.</summary>
public sealed class ComposeException : Exception
{
    public ComposeException(string message)
        : base(message)
    {
    }

    public ComposeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ComposeException()
    {
    }

    internal static ComposeException At(Yaml.Node node, string path, string problem) =>
        new($"{node.Where}: {path}: {problem}");
}

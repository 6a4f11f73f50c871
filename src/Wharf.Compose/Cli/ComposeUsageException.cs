namespace Wharf.Compose.Cli;

/// <summary>A command-line mistake: printed with a usage hint, exit code 1.</summary>
public sealed class ComposeUsageException : Exception
{
    public ComposeUsageException(string message)
        : base(message)
    {
    }

    public ComposeUsageException()
    {
    }

    public ComposeUsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

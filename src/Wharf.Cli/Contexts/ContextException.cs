namespace Wharf.Cli.Contexts;

/// <summary>A context that does not exist, a bad name or a broken store: printed as is, exit code 1.</summary>
internal sealed class ContextException(string message) : Exception(message);

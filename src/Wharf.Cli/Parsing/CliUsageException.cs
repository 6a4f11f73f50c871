namespace Wharf.Cli.Parsing;

/// <summary>Bad command line (unknown flag, missing value, wrong arg count). Docker exits 125 for flag errors.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message, int exitCode = 125)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = 125;
}

namespace Wharf.Compose.Cli;

/// <summary>Raised by <see cref="ComposeArgs.Parse"/> on --help/-h, so no command runs when help was asked for.</summary>
public sealed class ComposeHelpRequest : Exception
{
    public ComposeHelpRequest(IReadOnlyList<(string Long, char? Short, bool Value)> specs)
        : base("help requested") => Specs = specs;

    public ComposeHelpRequest()
    {
        Specs = [];
    }

    public ComposeHelpRequest(string message)
        : base(message)
    {
        Specs = [];
    }

    public ComposeHelpRequest(string message, Exception inner)
        : base(message, inner)
    {
        Specs = [];
    }

    public IReadOnlyList<(string Long, char? Short, bool Value)> Specs { get; }
}

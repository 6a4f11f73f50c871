namespace Wharf.Cli.Parsing;

/// <summary>One flag a command accepts: its long name, optional one-letter alias, and whether it takes a value.</summary>
internal sealed record OptionSpec(string Name, char? Short = null, bool TakesValue = false, string Help = "")
{
    public static OptionSpec Flag(string name, char? shortName = null, string help = "") => new(name, shortName, false, help);

    public static OptionSpec Value(string name, char? shortName = null, string help = "") => new(name, shortName, true, help);
}

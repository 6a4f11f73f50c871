namespace Wharf.Cli.Parsing;

/// <summary>One flag a command accepts: its long name, optional one-letter alias, whether it takes a value, its help
/// text and the value's kind as docker's help names it ("string", "int", "list", "filter", ...).</summary>
internal sealed record OptionSpec(string Name, char? Short = null, bool TakesValue = false, string Help = "", string ValueName = "string")
{
    public static OptionSpec Flag(string name, char? shortName = null, string help = "") => new(name, shortName, false, help);

    public static OptionSpec Value(string name, char? shortName = null, string help = "", string valueName = "string") => new(name, shortName, true, help, valueName);
}

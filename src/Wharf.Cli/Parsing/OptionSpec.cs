namespace Wharf.Cli.Parsing;

/// <summary>One flag a command accepts: its long name, optional one-letter alias, whether it takes a value, its help
/// text, the value's kind as docker's help names it ("string", "int", "list", "filter", ...) and the value the command
/// uses when the flag is absent, as docker's help shows it after "(default ...)" (null: pflag prints no default).</summary>
internal sealed record OptionSpec(string Name, char? Short = null, bool TakesValue = false, string Help = "", string ValueName = "string", string? Default = null)
{
    public static OptionSpec Flag(string name, char? shortName = null, string help = "", string? defaultValue = null) =>
        new(name, shortName, false, help, "bool", defaultValue);

    public static OptionSpec Value(string name, char? shortName = null, string help = "", string valueName = "string", string? defaultValue = null) =>
        new(name, shortName, true, help, valueName, defaultValue);

    /// <summary>Accepted but left out of help, as pflag's MarkHidden/MarkDeprecated flags (stop --time).</summary>
    public bool Hidden { get; init; }

    /// <summary>The help line's tail as pflag writes it: string defaults are quoted, the rest printed as they are.</summary>
    public string DefaultSuffix => Default is null ? "" : ValueName == "string" ? $" (default \"{Default}\")" : $" (default {Default})";
}

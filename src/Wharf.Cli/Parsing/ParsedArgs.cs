namespace Wharf.Cli.Parsing;

/// <summary>Result of parsing: values per long option name (in order of appearance) and positional args.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Help { get; set; }

    internal void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            list = [];
            _values[name] = list;
        }

        list.Add(value);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A boolean flag: present means true unless given "=false".</summary>
    public bool Flag(string name) =>
        _values.TryGetValue(name, out var list) && !string.Equals(list[^1], "false", StringComparison.OrdinalIgnoreCase) && list[^1] != "0";

    /// <summary>A boolean flag whose absence means <paramref name="whenAbsent"/> (docker's "(default true)" flags:
    /// --sig-proxy, commit --pause, history --human).</summary>
    public bool Flag(string name, bool whenAbsent) => Has(name) ? Flag(name) : whenAbsent;

    /// <summary>Last value given (docker: a repeated single-value flag keeps the last).</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public int? Int(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"invalid argument \"{text}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }
}

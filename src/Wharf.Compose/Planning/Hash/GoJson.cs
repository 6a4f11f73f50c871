using System.Globalization;
using System.Text;

namespace Wharf.Compose.Planning.Hash;

/// <summary>Writes JSON byte-for-byte as Go's encoding/json Marshal does, because Compose v2's config hash is
/// the sha256 of that output: no spaces, HTML characters escaped as \u003c etc., \b \f \n \r \t escaped,
/// other control characters as lower-case \u00XX, map keys in byte order (the caller sorts them).</summary>
internal sealed class GoJson
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _first = new();

    public override string ToString() => _text.ToString();

    public GoJson BeginObject()
    {
        _text.Append('{');
        _first.Push(true);
        return this;
    }

    public GoJson EndObject()
    {
        _first.Pop();
        _text.Append('}');
        return this;
    }

    public GoJson BeginArray()
    {
        _text.Append('[');
        _first.Push(true);
        return this;
    }

    public GoJson EndArray()
    {
        _first.Pop();
        _text.Append(']');
        return this;
    }

    /// <summary>Starts a member of the current object (or, with a null name, an element of the current array).</summary>
    public GoJson Name(string? name)
    {
        if (_first.Count > 0)
        {
            if (!_first.Peek())
            {
                _text.Append(',');
            }

            _first.Pop();
            _first.Push(false);
        }

        if (name is not null)
        {
            AppendString(name);
            _text.Append(':');
        }

        return this;
    }

    public GoJson String(string value)
    {
        AppendString(value);
        return this;
    }

    public GoJson Raw(string literal)
    {
        _text.Append(literal);
        return this;
    }

    public GoJson Null() => Raw("null");

    public GoJson Bool(bool value) => Raw(value ? "true" : "false");

    public GoJson Number(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A float32 as Go prints it in the range cpus take: the shortest decimal that reads back as
    /// the same float32 ("0.5", "1.25", "2"). .NET's round-trip form is the same digits, except that it
    /// switches to an exponent for very large or small values, where decimal gives Go's plain form.</summary>
    public GoJson Float32(double value)
    {
        var single = (float)value;
        var text = single.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            text = ((decimal)single).ToString(CultureInfo.InvariantCulture);
        }

        return Raw(text);
    }

    /// <summary>Members whose omitempty value is empty are skipped by the helpers below, as Go does.</summary>
    public GoJson OptString(string name, string? value) => string.IsNullOrEmpty(value) ? this : Name(name).String(value);

    public GoJson OptBool(string name, bool value) => value ? Name(name).Bool(true) : this;

    public GoJson OptNumber(string name, long? value) => value is null or 0 ? this : Name(name).Number(value.Value);

    public GoJson OptStringList(string name, IReadOnlyCollection<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return this;
        }

        Name(name).BeginArray();
        foreach (var value in values)
        {
            Name(null).String(value);
        }

        return EndArray();
    }

    public GoJson OptStringMap(string name, IEnumerable<KeyValuePair<string, string>>? values)
    {
        var sorted = values?.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        if (sorted is null || sorted.Count == 0)
        {
            return this;
        }

        Name(name).BeginObject();
        foreach (var (key, value) in sorted)
        {
            Name(key).String(value);
        }

        return EndObject();
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '<' or '>' or '&' or 0x2028 or 0x2029:
                    _text.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < 0x20:
                    _text.Append("\\u00").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    // EnumerateRunes yields U+FFFD for a lone surrogate, as Go does for invalid UTF-8.
                    _text.Append(rune.ToString());
                    break;
            }
        }

        _text.Append('"');
    }
}

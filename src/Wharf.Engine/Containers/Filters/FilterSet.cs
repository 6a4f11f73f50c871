using System.Text.Json;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Filters;

/// <summary>Docker's <c>filters</c> query parameter: key -&gt; set of values. Parses both the current shape
/// <c>{"label":{"a=1":true}}</c> and the legacy <c>{"label":["a=1"]}</c>. Values within one key are
/// alternatives (OR) for most keys; different keys must all match (AND).</summary>
public sealed class FilterSet
{
    private readonly Dictionary<string, List<string>> _values;

    private FilterSet(Dictionary<string, List<string>> values) => _values = values;

    public static FilterSet Empty { get; } = new(new Dictionary<string, List<string>>(StringComparer.Ordinal));

    public IEnumerable<string> Keys => _values.Keys;

    public bool IsEmpty => _values.Count == 0;

    /// <summary>Parses the query value (already URL-decoded). Null or empty means no filters.</summary>
    public static FilterSet Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed();
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var list = new List<string>();
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var entry in property.Value.EnumerateObject())
                        {
                            // Docker's map form only ever uses true; a false entry is not a value.
                            if (entry.Value.ValueKind == JsonValueKind.True)
                            {
                                list.Add(entry.Name);
                            }
                            else if (entry.Value.ValueKind != JsonValueKind.False)
                            {
                                throw Malformed();
                            }
                        }

                        break;
                    case JsonValueKind.Array:
                        foreach (var entry in property.Value.EnumerateArray())
                        {
                            list.Add(entry.ValueKind == JsonValueKind.String ? entry.GetString()! : throw Malformed());
                        }

                        break;
                    default:
                        throw Malformed();
                }

                if (values.TryGetValue(property.Name, out var existing))
                {
                    existing.AddRange(list);
                }
                else
                {
                    values[property.Name] = list;
                }
            }
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid("invalid filter: " + e.Message);
        }

        return new FilterSet(values);
    }

    /// <summary>A set built in code (tests, CLI-style "key=value" pairs).</summary>
    public static FilterSet From(params (string Key, string Value)[] pairs)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }

            list.Add(value);
        }

        return new FilterSet(values);
    }

    /// <summary>Throws Docker's "invalid filter 'KEY'" for the first key the endpoint does not know.</summary>
    public void Validate(IReadOnlyCollection<string> acceptedKeys)
    {
        foreach (var key in _values.Keys)
        {
            if (!acceptedKeys.Contains(key))
            {
                throw EngineException.Invalid($"invalid filter '{key}'");
            }
        }
    }

    public bool Contains(string key) => _values.ContainsKey(key);

    public IReadOnlyList<string> Get(string key) => _values.TryGetValue(key, out var list) ? list : [];

    /// <summary>True when the key is absent or one of its values equals <paramref name="source"/>.</summary>
    public bool ExactMatch(string key, string source) =>
        !_values.TryGetValue(key, out var list) || list.Count == 0 || list.Contains(source, StringComparer.Ordinal);

    /// <summary>True when the key is absent, or a value equals <paramref name="source"/> or is a prefix of it
    /// (how Docker matches ids: a short id finds the full one).</summary>
    public bool FuzzyMatch(string key, string source) =>
        !_values.TryGetValue(key, out var list) || list.Count == 0
        || list.Any(v => v.Length > 0 && source.StartsWith(v, StringComparison.Ordinal));

    /// <summary>True when the key is absent or a value, read as an unanchored regular expression, matches
    /// <paramref name="source"/> (Docker's name filter). An invalid expression falls back to a substring test.</summary>
    public bool RegexMatch(string key, string source)
    {
        if (!_values.TryGetValue(key, out var list) || list.Count == 0)
        {
            return true;
        }

        foreach (var pattern in list)
        {
            try
            {
                if (Regex.IsMatch(source, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                if (source.Contains(pattern, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern simply does not match.
            }
        }

        return false;
    }

    /// <summary>Label-style matching: every value ("key" or "key=value") must be satisfied by
    /// <paramref name="labels"/> (AND, like Docker's label filter).</summary>
    public bool MatchLabels(string key, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var condition in Get(key))
        {
            var eq = condition.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (!labels.ContainsKey(condition))
                {
                    return false;
                }
            }
            else if (!labels.TryGetValue(condition[..eq], out var actual) || actual != condition[(eq + 1)..])
            {
                return false;
            }
        }

        return true;
    }

    private static EngineException Malformed() => EngineException.Invalid("invalid filter: malformed JSON");
}

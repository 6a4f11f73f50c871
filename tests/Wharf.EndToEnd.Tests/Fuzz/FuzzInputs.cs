using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace Wharf.EndToEnd.Tests.Fuzz;

/// <summary>Malformed values for every part of a request: path parameters, query values by declared type, and JSON
/// bodies built from the API's own member names (so they reach past "unknown field" into the code that reads them)
/// with wrong types, nulls, overflowing numbers, deep nesting and huge sizes. Deterministic for a given seed.</summary>
public sealed class FuzzInputs(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string LongText = new('a', 10_000);

    /// <summary>Member names of every DTO in Wharf.Api (JSON names), the fuzzer's vocabulary for object keys.</summary>
    private static readonly string[] MemberNames = typeof(Wharf.Api.ApiJsonContext).Assembly.GetTypes()
        .Where(t => t.IsPublic && t.IsClass && t.Namespace?.StartsWith("Wharf.Api.", StringComparison.Ordinal) == true)
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Members that hold nested objects in Docker's request bodies: where a nested fuzz object goes.</summary>
    private static readonly string[] NestingMembers =
        ["HostConfig", "Config", "NetworkingConfig", "EndpointsConfig", "EndpointConfig", "IPAM", "IPAMConfig", "Healthcheck",
         "RestartPolicy", "LogConfig", "Labels", "Options", "DriverOpts", "ExposedPorts", "PortBindings", "Volumes", "Tmpfs"];

    private static readonly string[] PathValues =
        ["", "-1", "0", "99999999999999999999", "%00", "a%00b", "%2F", "..", "%2e%2e", "%FF", "a%0Ab", "%20", "x:y", "@", "sha256:", "sha256:zz", LongText[..300], LongText];

    private static readonly string[] IntegerValues =
        ["-1", "0", "1", "99999999999999999999", "-99999999999999999999", "9223372036854775808", "-9223372036854775809", "1e400", "1.5", "0x10", "abc", "", "%00", "NaN", "Infinity"];

    private static readonly string[] BooleanValues = ["1", "0", "true", "false", "maybe", "2", "", "%00", "-1"];

    private static readonly string[] StringValues =
        ["", "%00", "a%00b", LongText, "../../x", "{", "{}", "[]", "null", "{\"label\":[null]}", "{\"a\":{\"b\":true}}", "{\"until\":[\"99999999999999999999\"]}",
         "{\"since\":[\"x\"],\"before\":[\"-1\"]}", "-1", "99999999999999999999", "%FF", "%2e%2e%2f", "SIGBOGUS", "1h", "-99999999999999999999h", "9999999999h", "--bogus"];

    private static readonly string[] WholeBodies = ["", "null", "[]", "{}", "\"x\"", "1", "true", "{", "{\"a\":", "a=b", "[null]", "{\"Image\":\"busybox\",}"];

    /// <summary>Query names any route may be sent (most endpoints read some of them).</summary>
    private static readonly QueryParameter[] GenericQuery =
        [new("filters", "string"), new("name", "string"), new("t", "integer"), new("force", "boolean"), new("all", "boolean"), new("since", "string"),
         new("until", "string"), new("signal", "string"), new("size", "boolean"), new("tail", "string"), new("h", "integer"), new("w", "integer")];

    /// <summary>Query parameters that would make the daemon reach out of this machine (a URL to download, a git remote):
    /// never fuzzed.</summary>
    private static readonly HashSet<string> ReachOut = new(StringComparer.Ordinal) { "remote", "fromSrc", "url" };

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public IReadOnlyList<T> Shuffled<T>(IEnumerable<T> items)
    {
        var array = items.ToArray();
        _random.Shuffle(array);
        return array;
    }

    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>A path segment, already escaped where the value is text (those starting with % are sent as written).</summary>
    public string PathValue(IReadOnlyList<string> realValues)
    {
        if (realValues.Count > 0 && Chance(0.4)) return Uri.EscapeDataString(Pick(realValues));
        var value = Pick(PathValues);
        return value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value);
    }

    public string Query(IReadOnlyList<QueryParameter> declared)
    {
        var chosen = declared.Where(_ => Chance(0.6)).ToList();
        if (Chance(0.3)) chosen.Add(Pick(GenericQuery));
        var parts = chosen.Where(p => !ReachOut.Contains(p.Name)).Select(p =>
        {
            var value = p.Type switch
            {
                "integer" or "number" => Pick(IntegerValues),
                "boolean" => Pick(BooleanValues),
                _ => Pick(StringValues),
            };
            return Uri.EscapeDataString(p.Name) + "=" + (value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value));
        });
        var query = string.Join('&', parts);
        return query.Length == 0 ? "" : "?" + query;
    }

    /// <summary>A request body: mostly a JSON object of API members with wrong values, sometimes something that is not
    /// an object at all, not JSON, nested beyond any limit, or a megabyte large.</summary>
    public byte[] Body()
    {
        return _random.Next(12) switch
        {
            0 => Encoding.UTF8.GetBytes(Pick(WholeBodies)),
            1 => Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)),
            2 => Encoding.UTF8.GetBytes("{\"Name\":\"" + new string('a', 1024 * 1024) + "\",\"Image\":\"busybox\"}"),
            3 => [0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d], // invalid UTF-8 inside JSON
            _ => Encoding.UTF8.GetBytes(Object(depth: 0)),
        };
    }

    private string Object(int depth)
    {
        var members = new List<string>();
        if (depth == 0 && Chance(0.5)) members.Add("\"Image\":\"busybox\"");
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var nest = depth < 3 && Chance(0.35);
            var name = nest ? Pick(NestingMembers) : Pick(MemberNames);
            members.Add(Quote(name) + ":" + (nest ? Object(depth + 1) : Value(depth)));
        }
        return "{" + string.Join(',', members) + "}";
    }

    private string Value(int depth) => _random.Next(20) switch
    {
        0 => "null",
        1 => "true",
        2 => "-1",
        3 => "0",
        4 => "99999999999999999999",
        5 => "-99999999999999999999",
        6 => "1e400",
        7 => "0.5",
        8 => "\"\"",
        9 => "\"\\u0000\"",
        10 => Quote(Pick(StringValues)),
        11 => "[null]",
        12 => "{\"a\":null}",
        13 => "[1,\"a\",null,{}]",
        14 => "[\"" + LongText + "\"]",
        15 => "{}",
        16 => "[]",
        17 => "{\"" + LongText[..100] + "\":\"x\\ny\"}",
        18 => depth < 3 ? "[" + Object(depth + 1) + "]" : "[{}]",
        _ => Quote("x\n"),
    };

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

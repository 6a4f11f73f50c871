using System.Net.Sockets;
using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Cli.Contexts;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>One command over several daemons (`ps --context a --context b`, `images --all-contexts`): every daemon
/// is asked in parallel and the answers become one table with a CONTEXT column; a daemon that fails gets a row
/// saying why instead of failing the whole command.</summary>
internal static class ContextFanOut
{
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        OptionSpec.Value("context", null, "Query this context (repeatable: one table over several daemons)"),
        OptionSpec.Flag("all-contexts", null, "Query every context (the default one and all in the store)"),
    ];

    /// <summary>The contexts to query when more than one daemon is asked for; null for the usual single daemon.</summary>
    public static IReadOnlyList<string>? Targets(CliContext context, ParsedArgs args)
    {
        if (args.Flag("all-contexts"))
        {
            return [DockerContext.DefaultName, .. context.Resolver!.Store.List().Select(c => c.Name)];
        }

        var names = args.Values("context").Distinct(StringComparer.Ordinal).ToList();
        return names.Count > 1 ? names : null;
    }

    /// <summary>The client for a single --context given after the verb, else the invocation's own.</summary>
    public static EngineClient SingleClient(CliContext context, ParsedArgs args, out IDisposable? owned)
    {
        owned = null;
        if (args.Values("context") is [var only])
        {
            var client = new EngineClient(context.Resolver!.ResolveContext(only, context.Global));
            owned = client;
            return client;
        }

        return context.Client;
    }

    /// <summary>Runs <paramref name="query"/> against every context at once; never throws for one daemon's failure.</summary>
    public static Task<IReadOnlyList<ContextAnswer<T>>> QueryAsync<T>(
        CliContext context, IReadOnlyList<string> names, Func<EngineClient, Task<T>> query) =>
        QueryAsync(context, names, (client, _) => query(client));

    /// <summary>As above, telling the query which context each client belongs to.</summary>
    public static async Task<IReadOnlyList<ContextAnswer<T>>> QueryAsync<T>(
        CliContext context, IReadOnlyList<string> names, Func<EngineClient, string, Task<T>> query)
    {
        var tasks = names.Select(async name =>
        {
            DockerEndpoint? endpoint = null;
            try
            {
                endpoint = context.Resolver!.ResolveContext(name, context.Global);
                using var client = new EngineClient(endpoint);
                return new ContextAnswer<T>(name, await query(client, name).ConfigureAwait(false), null);
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or EngineApiException or ContextException
                                          or FormatException or IOException or global::System.Security.Authentication.AuthenticationException)
            {
                return new ContextAnswer<T>(name, default, Describe(e, endpoint));
            }
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Prefixes the table with CONTEXT; an error row shows the message after the context name.</summary>
    public static string Render(string format, IReadOnlyDictionary<string, string> headers, IEnumerable<(string Context, JsonElement? Row, string? Error)> rows)
    {
        var isTable = format.StartsWith("table", StringComparison.Ordinal);
        var body = GoTemplate.Unescape(isTable ? format["table".Length..].Trim(' ') : format);
        var template = GoTemplate.Parse(isTable ? "{{.Context}}\t" + body : body);
        var lines = new List<string>();
        if (isTable)
        {
            var withContext = new Dictionary<string, string>(headers, StringComparer.Ordinal) { ["Context"] = "CONTEXT" };
            lines.Add(template.Render(JsonOutput.ObjectOfStrings(withContext)));
        }

        foreach (var (name, row, error) in rows)
        {
            lines.Add(error is not null
                ? (isTable ? $"{name}\terror: {error}" : $"{name}: error: {error}")
                : template.Render(WithContext(row!.Value, name)));
        }

        return isTable ? TabTable.Format(lines) : string.Concat(lines.Select(l => l + "\n"));
    }

    /// <summary>A copy of <paramref name="row"/> with a "Context" field, for templates that ask for {{.Context}}.</summary>
    public static JsonElement WithContext(JsonElement row, string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Context", name);
            foreach (var property in row.EnumerateObject())
            {
                if (property.Name != "Context")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    private static string Describe(Exception e, DockerEndpoint? endpoint) => e switch
    {
        EngineApiException api => api.Message,
        ContextException context => context.Message,
        global::System.Security.Authentication.AuthenticationException auth => "tls: " + auth.Message,
        HttpRequestException { InnerException: global::System.Security.Authentication.AuthenticationException auth } => "tls: " + auth.Message,
        HttpRequestException or SocketException when endpoint is not null => CliApp.CannotConnectMessage(endpoint),
        _ => e.Message,
    };
}

internal sealed record ContextAnswer<T>(string Context, T? Value, string? Error);

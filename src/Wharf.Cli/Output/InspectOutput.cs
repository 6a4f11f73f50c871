using System.Text.Json;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Output;

/// <summary>What every `inspect` prints, as docker does: the objects found as one indented JSON array (or through
/// `--format` one line each), then one error line per name not found; exit 1 when any was not found.</summary>
internal static class InspectOutput
{
    public static async Task<int> WriteAsync(CliContext context, ParsedArgs args, IReadOnlyList<JsonElement> found, IReadOnlyList<string> errors)
    {
        var format = args.Value("format");
        if (format is null || format == "json")
        {
            await context.Out.WriteLineAsync(JsonOutput.IndentArray(found)).ConfigureAwait(false);
        }
        else
        {
            var template = GoTemplate.Parse(GoTemplate.Unescape(format));
            foreach (var item in found)
            {
                await context.Out.WriteLineAsync(template.Render(item)).ConfigureAwait(false);
            }
        }

        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? 0 : 1;
    }
}

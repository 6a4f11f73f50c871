using System.Text;
using System.Text.Json;
using Wharf.Cli.Output;
using Wharf.TestKit.Fuzzing;

namespace Wharf.Cli.Tests;

/// <summary>Random and mutated --format templates (fixed seed, see <see cref="FuzzSettings"/>) parsed and rendered over
/// an inspect document: text or the FormatException the CLI prints as "template: …" (exit 1), never any other
/// exception, never a hang, never a stack overflow from deep nesting.</summary>
public sealed class GoTemplateFuzzTests
{
    private static readonly JsonElement Data = JsonDocument.Parse("""
        {"Id":"abc","Name":"/web","State":{"Status":"running","ExitCode":0,"Running":true,"Pid":4242},
         "Config":{"Labels":{"b":"2","a":"1"},"Env":["A=1","B=2"],"Cmd":null,"Big":1e308,"Neg":-9223372036854775808},
         "List":[[1,[2,[3]]],{"k":[null]}],"Empty":"","Zero":0,
         "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"},"other":{"IPAddress":"10.0.0.5"}}}}
        """).RootElement;

    // Every construct the CLI's subset supports (see GoTemplate), as the seeds the mutations start from.
    private static readonly string[] Valid =
    [
        "{{.State.Status}}", "{{json .Config.Labels}}", "{{index .Config.Labels \"a\"}}", "{{join .Config.Env \",\"}}",
        "{{.State.Status | upper}}", "{{len .Config.Env}}", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
        "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "{{if .State.Running}}up{{else}}down{{end}}",
        "name={{.Name}} {{- \" x\"}}", "{{printf \"%s:%v %d %5.2f %q %x\" .Id .State.ExitCode .Zero .Config.Big .Name .Id}}",
        "{{.Config.Label \"a\"}}", "{{index .List 0 1 0}}", "{{range $v := .List}}{{json $v}}{{else}}none{{end}}",
        "{{lower .Id}}\\t{{title .Name}}\\n{{$.Id}}", "{{json .}}", "{{.Config.Big}} {{.Config.Neg}} {{.}}",
    ];

    private static readonly string[] Tokens =
    [
        "{{", "}}", "{{-", "-}}", "{{end}}", "{{else}}", "{{if", "{{range", "{{with", "{{define \"x\"}}", "{{template \"x\"}}", "|", "(",
        ")", "$", "$x", ":=", "=", ".", "..", ".State", " ", "\"", "`", "'", "\\", "\"%!", "%v", "%*d", "%999999999d", "%.9999999f",
        "index", "printf", "json", "len", "slice", "call", "nil", "true", "-1", "99999999999999999999", "0x", "1e999", "/*", "*/",
        "\n", "\t", "é", "\u0000",
    ];

    [Fact]
    public void ParseAndRender_RandomAndMutatedTemplates_TextOrFormatException()
    {
        foreach (var template in Valid) GoTemplate.Parse(template).Render(Data);
        var seed = FuzzSettings.Seed(20261207);
        var mutator = new FuzzMutator(seed, Tokens);
        var rounds = FuzzSettings.Rounds(3000);
        for (var round = 0; round < rounds; round++)
        {
            string template;
            switch (mutator.Random.Next(8))
            {
                case 0:
                    var text = new StringBuilder();
                    for (var count = mutator.Random.Next(1, 30); count > 0; count--) text.Append(mutator.Pick(Tokens));
                    template = text.ToString();
                    break;
                case 1:
                    var (open, close) = mutator.Random.Next(3) switch { 0 => ("(", ")"), 1 => ("{{if 1}}", "{{end}}"), _ => ("{{range .List}}", "{{end}}") };
                    var nested = mutator.Nesting(open, close);
                    template = open == "(" ? "{{" + nested + ".Id}}" : nested + "x";
                    break;
                default:
                    template = mutator.Mutate(mutator.Pick(Valid), Valid);
                    break;
            }
            Check(template, $"seed {seed} round {round}");
        }
    }

    /// <summary>Found by the fuzzer: 50,000 nested {{if}} overflowed the parser's stack and killed the process.</summary>
    [Theory]
    [InlineData("{{if 1}}", "{{end}}")]
    [InlineData("{{range .List}}", "{{end}}")]
    public void Parse_DeeplyNestedControl_FormatExceptionNotStackOverflow(string open, string close)
    {
        var template = string.Concat(Enumerable.Repeat(open, 50_000)) + "x" + string.Concat(Enumerable.Repeat(close, 50_000));

        var error = Assert.Throws<FormatException>(() => GoTemplate.Parse(template));

        Assert.Equal("template: max expression depth exceeded", error.Message);
        var shallow = string.Concat(Enumerable.Repeat(open, 50)) + "x" + string.Concat(Enumerable.Repeat(close, 50));
        Assert.Equal(open.StartsWith("{{if", StringComparison.Ordinal) ? "x" : "", GoTemplate.Parse(shallow).Render(Data));
    }

    private static void Check(string template, string where) =>
        FuzzSettings.WithinTimeBound(() =>
        {
            try
            {
                GoTemplate.Parse(GoTemplate.Unescape(template)).Render(Data);
            }
            catch (FormatException)
            {
                // The CLI's "template: …" error.
            }
            catch (Exception e)
            {
                Assert.Fail($"{where}: {e.GetType().Name}: {e.Message}\n--- template\n{Shorten(template)}\n{e.StackTrace}");
            }
        }, () => $"{where}: {Shorten(template)}");

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + $"… ({text.Length} chars)";
}

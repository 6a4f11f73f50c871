using System.Text.Json;
using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

public sealed class GoTemplateTests
{
    private static readonly JsonElement Inspect = JsonDocument.Parse("""
        {"Id":"abc","Name":"/web","State":{"Status":"running","ExitCode":0,"Running":true,"Pid":4242},
         "Config":{"Labels":{"b":"2","a":"1"},"Env":["A=1","B=2"],"Cmd":null},
         "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"},"other":{"IPAddress":"10.0.0.5"}}}}
        """).RootElement;

    [Theory]
    [InlineData("{{.State.Status}}", "running")]
    [InlineData("{{.State.ExitCode}}", "0")]
    [InlineData("{{.State.Pid}}", "4242")]
    [InlineData("{{.State.Running}}", "true")]
    [InlineData("{{.id}}", "abc")]
    [InlineData("{{.Config.Cmd}}", "<nil>")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{.Config.Env}}", "[A=1 B=2]")]
    [InlineData("{{.Config.Labels}}", "map[a:1 b:2]")]
    [InlineData("{{json .Config.Labels}}", """{"b":"2","a":"1"}""")]
    [InlineData("{{index .Config.Labels \"a\"}}", "1")]
    [InlineData("{{join .Config.Env \",\"}}", "A=1,B=2")]
    [InlineData("{{upper .State.Status}}", "RUNNING")]
    [InlineData("{{.State.Status | upper}}", "RUNNING")]
    [InlineData("{{len .Config.Env}}", "2")]
    [InlineData("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", "172.17.0.2 10.0.0.5 ")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a=1;b=2;")]
    [InlineData("{{if .State.Running}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if .Config.Cmd}}cmd{{else}}nocmd{{end}}", "nocmd")]
    [InlineData("name={{.Name}} {{- \" x\"}}", "name=/web x")]
    [InlineData("{{printf \"%s:%v\" .Id .State.ExitCode}}", "abc:0")]
    [InlineData("{{.Config.Label \"a\"}}", "1")]
    public void Render_Expression_MatchesGo(string template, string expected)
    {
        Assert.Equal(expected, GoTemplate.Parse(template).Render(Inspect));
    }

    [Fact]
    public void Render_JsonDot_IsCompactJson()
    {
        var data = JsonDocument.Parse("""{"A": "x",  "B": [1, 2]}""").RootElement;
        Assert.Equal("""{"A":"x","B":[1,2]}""", GoTemplate.Parse("{{json .}}").Render(data));
    }

    [Fact]
    public void Render_LabelOnCommaString_FindsValue()
    {
        var row = JsonDocument.Parse("""{"Labels":"com.x=1,env=prod"}""").RootElement;
        Assert.Equal("prod", GoTemplate.Parse("{{.Label \"env\"}}").Render(row));
    }

    [Fact]
    public void Parse_UnknownFunction_Throws()
    {
        Assert.Throws<FormatException>(() => GoTemplate.Parse("{{nope .X}}").Render(Inspect));
    }

    [Fact]
    public void Parse_UnclosedIf_Throws()
    {
        Assert.Throws<FormatException>(() => GoTemplate.Parse("{{if .X}}a"));
    }

    [Fact]
    public void Unescape_LiteralBackslashT_BecomesTab()
    {
        Assert.Equal("{{.ID}}\t{{.Names}}\n", GoTemplate.Unescape("{{.ID}}\\t{{.Names}}\\n"));
    }
}

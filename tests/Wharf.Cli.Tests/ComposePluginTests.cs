using Wharf.Cli.Commands.Compose;

namespace Wharf.Cli.Tests;

public sealed class ComposePluginTests
{
    [Theory]
    [InlineData("/usr/local/bin/wharf", "up -d", "up -d")]
    [InlineData("/usr/local/lib/docker/cli-plugins/docker-compose", "docker-cli-plugin-metadata", "docker-cli-plugin-metadata")]
    [InlineData("docker-compose", "compose up -d", "compose up -d")]
    [InlineData("docker-compose", "-H unix:///x.sock compose ps", "-H unix:///x.sock compose ps")]
    [InlineData("docker-compose", "up -d", "compose up -d")]
    [InlineData("docker-compose", "-f a.yml up", "compose -f a.yml up")]
    [InlineData("docker-compose", "run web echo compose", "compose run web echo compose")]
    public void Arguments_ByProgramName_RouteToCompose(string argv0, string given, string expected)
    {
        var result = ComposePlugin.Arguments(argv0, given.Split(' '));

        Assert.Equal(expected.Split(' '), result);
    }

    [Fact]
    public async Task Metadata_DockerCliPlugin_AnswersSchemaJson()
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["docker-cli-plugin-metadata"], output, new StringWriter(), _ => null, TimeProvider.System);

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal("0.1.0", json.RootElement.GetProperty("SchemaVersion").GetString());
        Assert.Equal("Wharf", json.RootElement.GetProperty("Vendor").GetString());
        Assert.StartsWith("v", json.RootElement.GetProperty("Version").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("ShortDescription").GetString()));
    }
}

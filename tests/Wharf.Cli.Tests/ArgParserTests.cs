using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class ArgParserTests
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("detach", 'd'), OptionSpec.Flag("interactive", 'i'), OptionSpec.Flag("tty", 't'),
        OptionSpec.Value("env", 'e'), OptionSpec.Value("name"), OptionSpec.Value("publish", 'p'), OptionSpec.Flag("rm"),
    ];

    [Fact]
    public void Parse_CombinedShortFlags_SetsEach()
    {
        var parsed = ArgParser.Parse(["-dit", "busybox"], Specs, stopAtFirstPositional: true);
        Assert.True(parsed.Flag("detach"));
        Assert.True(parsed.Flag("interactive"));
        Assert.True(parsed.Flag("tty"));
        Assert.Equal(["busybox"], parsed.Positionals);
    }

    [Fact]
    public void Parse_ValueForms_AllAccepted()
    {
        var parsed = ArgParser.Parse(["--name=web", "-e", "A=1", "-eB=2", "--env", "C=3", "-p8080:80", "img"], Specs, true);
        Assert.Equal("web", parsed.Value("name"));
        Assert.Equal(["A=1", "B=2", "C=3"], parsed.Values("env"));
        Assert.Equal("8080:80", parsed.Value("publish"));
    }

    [Fact]
    public void Parse_StopAtFirstPositional_LeavesContainerArgsAlone()
    {
        var parsed = ArgParser.Parse(["--rm", "busybox", "ls", "-la", "--name", "x"], Specs, stopAtFirstPositional: true);
        Assert.Equal(["busybox", "ls", "-la", "--name", "x"], parsed.Positionals);
        Assert.Null(parsed.Value("name"));
    }

    [Fact]
    public void Parse_Interspersed_WhenNotStopping()
    {
        var parsed = ArgParser.Parse(["a", "-d", "b"], Specs);
        Assert.Equal(["a", "b"], parsed.Positionals);
        Assert.True(parsed.Flag("detach"));
    }

    [Fact]
    public void Parse_BoolWithFalseValue_IsFalse()
    {
        Assert.False(ArgParser.Parse(["--rm=false"], Specs).Flag("rm"));
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var parsed = ArgParser.Parse(["--", "-d"], Specs);
        Assert.Equal(["-d"], parsed.Positionals);
        Assert.False(parsed.Flag("detach"));
    }

    [Theory]
    [InlineData("--bogus", "unknown flag: --bogus")]
    [InlineData("-z", "unknown shorthand flag: 'z' in -z")]
    [InlineData("--name", "flag needs an argument: --name")]
    public void Parse_BadInput_ThrowsUsageWith125(string arg, string message)
    {
        var ex = Assert.Throws<CliUsageException>(() => ArgParser.Parse([arg], Specs));
        Assert.Equal(message, ex.Message);
        Assert.Equal(125, ex.ExitCode);
    }

    [Fact]
    public void Parse_HelpFlag_SetsHelp()
    {
        Assert.True(ArgParser.Parse(["--help"], Specs).Help);
    }

    [Fact]
    public void RunSpecs_ShortHIsHostname_NotHelp()
    {
        var parsed = ArgParser.Parse(["-h", "box", "img"], ContainerOptions.RunSpecs, true);
        Assert.Equal("box", parsed.Value("hostname"));
        Assert.False(parsed.Help);
    }
}

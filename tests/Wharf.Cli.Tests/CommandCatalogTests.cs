using Wharf.Cli.Commands;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class CommandCatalogTests
{
    [Theory]
    [InlineData("ps", "container ls")]
    [InlineData("container ls", "container ls")]
    [InlineData("container list", "container ls")]
    [InlineData("container ps", "container ls")]
    [InlineData("images", "image ls")]
    [InlineData("image list", "image ls")]
    [InlineData("rmi", "image rm")]
    [InlineData("image remove", "image rm")]
    [InlineData("build", "image build")]
    [InlineData("builder build", "image build")]
    [InlineData("info", "system info")]
    [InlineData("events", "system events")]
    [InlineData("network list", "network ls")]
    [InlineData("volume remove", "volume rm")]
    [InlineData("context list", "context ls")]
    [InlineData("system prune", "system prune")]
    [InlineData("builder prune", "builder prune")]
    [InlineData("image inspect", "image inspect")]
    public void Resolve_EverySpelling_ReachesItsCanonicalCommand(string spelling, string canonical)
    {
        var words = spelling.Split(' ').Append("arg").ToArray();

        var resolved = CommandCatalog.Default.Resolve(words, 0);

        Assert.NotNull(resolved);
        Assert.Equal(canonical, resolved.Value.Command.Name);
        Assert.Equal(spelling, resolved.Value.Path);
        Assert.Equal(spelling.Split(' ').Length, resolved.Value.Consumed);
    }

    [Fact]
    public void Resolve_UnknownWord_IsNull()
    {
        Assert.Null(CommandCatalog.Default.Resolve(["bogus"], 0));
    }

    [Fact]
    public void Constructor_TwoCommandsClaimingOneSpelling_Throws()
    {
        var a = CommandCatalog.Default.BySpelling["ps"];
        var b = CommandCatalog.Default.BySpelling["images"];

        Assert.Throws<InvalidOperationException>(() => new CommandCatalog([a, a]));
        _ = new CommandCatalog([a, b]);
    }

    [Fact]
    public void SubcommandsOf_Container_ListsEachCommandOnceUnderItsGroupWord()
    {
        var words = CommandCatalog.Default.SubcommandsOf("container").Select(s => s.Word).ToList();

        Assert.Contains("ls", words);
        Assert.DoesNotContain("list", words);
        Assert.Contains("rm", words);
        Assert.Equal(words.Distinct().Count(), words.Count);
    }

    [Fact]
    public void GlobalOptions_CommandIndex_SkipsValuedAndBooleanGlobals()
    {
        Assert.Equal(4, GlobalOptions.CommandIndex(["-H", "unix:///x", "-D", "--context=foo", "ps", "-a"]));
        Assert.Equal(2, GlobalOptions.CommandIndex(["--host", "tcp://h:1", "ps"]));
        Assert.Equal(1, GlobalOptions.CommandIndex(["-Hunix:///x", "ps"]));
        Assert.Equal(2, GlobalOptions.CommandIndex(["-DH", "unix:///x", "ps"]));
        Assert.Equal(0, GlobalOptions.CommandIndex(["-", "x"]));
    }

    [Fact]
    public void HelpRoot_LinesOfEachSection_AlignDescriptionsInOneColumn()
    {
        var help = HelpText.Root(CommandCatalog.Default);

        Assert.Contains("\nCommon Commands:\n  run ", help, StringComparison.Ordinal);
        Assert.Contains("\nManagement Commands:\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  container   Manage containers\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  builder     Manage builds\n", help, StringComparison.Ordinal);
        var commandLines = help.Split('\n').SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(commandLines);
        Assert.All(commandLines, l => Assert.Matches(@"^  \S+ +\S", l));
        Assert.Single(commandLines.Select(l => l.IndexOf(' ', 2) + l[l.IndexOf(' ', 2)..].TakeWhile(c => c == ' ').Count()).Distinct());
        Assert.DoesNotContain("ps ", string.Join('\n', commandLines), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpCommand_AliasInvoked_ShowsTypedUsageAliasesAndAlignedFlags()
    {
        var command = CommandCatalog.Default.BySpelling["ps"];

        var help = HelpText.Command(command, "ps");

        Assert.StartsWith("Usage:  wharf ps [OPTIONS]\n\nList containers\n\nAliases:\n  wharf container ls, wharf container list, wharf container ps, wharf ps\n", help, StringComparison.Ordinal);
        Assert.Contains("  -a, --all ", help, StringComparison.Ordinal);
        var flagLines = help.Split('\n').SkipWhile(l => l != "Options:").Skip(1).Where(l => l.Length > 0).ToList();
        var columns = flagLines.Select(l => l.IndexOf("  ", l.IndexOf("--", StringComparison.Ordinal), StringComparison.Ordinal)).ToList();
        var starts = flagLines.Select((l, i) => columns[i] + l[columns[i]..].TakeWhile(c => c == ' ').Count()).Distinct().ToList();
        Assert.Single(starts);
    }

    [Fact]
    public void HelpCommand_ManagementSpelling_UsesThatSpelling()
    {
        var command = CommandCatalog.Default.BySpelling["container ls"];

        Assert.StartsWith("Usage:  wharf container list [OPTIONS]\n", HelpText.Command(command, "container list"), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpFlags_PflagLayout_PadsThreePastTheLongestFlag()
    {
        var text = HelpText.Flags([OptionSpec.Flag("all", 'a', "Show all"), OptionSpec.Value("format", null, "Format")]);

        Assert.Equal("  -a, --all             Show all\n      --format string   Format\n", text);
    }

    [Fact]
    public async Task Run_GroupAlone_PrintsGroupHelpWithoutDaemon()
    {
        var run = await CliRun.Async(null, ["network"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage:  wharf network COMMAND\n\nManage networks\n\nCommands:\n  connect ", run.Out, StringComparison.Ordinal);
        Assert.Contains("\n  disconnect  Disconnect a container from a network\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownSubcommand_ExitsOneWithDockerWording()
    {
        var run = await CliRun.Async(null, ["container", "bogus"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("wharf: unknown command: wharf container bogus\n\nUsage:  wharf container\n\nRun 'wharf container --help' for more information\n", run.Err);
    }

    [Fact]
    public async Task Run_HelpWord_PrintsTheCommandsHelp()
    {
        var run = await CliRun.Async(null, ["help", "rmi"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage:  wharf rmi [OPTIONS] IMAGE [IMAGE...]", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingArgumentThroughAlias_NamesTheSpellingTyped()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 500));

        var run = await CliRun.Async(daemon, ["container", "stop"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("\"wharf container stop\" requires at least 1 argument.\nSee 'wharf container stop --help'.", run.Err, StringComparison.Ordinal);
    }
}

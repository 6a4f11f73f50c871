using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

public sealed class TabTableTests
{
    [Fact]
    public void Format_DockerPsHeaderOnly_MatchesDockerSpacing()
    {
        var header = "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES";
        // Captured from `docker ps` with no containers.
        Assert.Equal("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n", TabTable.Format([header]));
    }

    [Fact]
    public void Format_Rows_PadToWidestPlusThree()
    {
        var output = TabTable.Format(["REPOSITORY\tTAG\tIMAGE ID", "busybox\tlatest\tabcdef123456", "a-much-longer-repository\t1\tx"]);
        var lines = output.Split('\n');
        Assert.Equal("REPOSITORY                 TAG       IMAGE ID", lines[0]);
        Assert.Equal("busybox                    latest    abcdef123456", lines[1]);
        Assert.Equal("a-much-longer-repository   1         x", lines[2]);
    }

    [Fact]
    public void Format_MultiByteCell_CountsRunes()
    {
        var output = TabTable.Format(["\"sh -c 'sleep 1…\"\tB", "x\tB"]);
        Assert.StartsWith("\"sh -c 'sleep 1…\"   B\n", output, StringComparison.Ordinal);
    }
}

using Wharf.Api.Containers;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

public sealed class RowsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    private static ContainerSummary Sample() => new()
    {
        Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        Names = ["/web", "/other/alias"],
        Image = "busybox",
        Command = "sh -c 'while true; do sleep 1; done'",
        Created = 1_700_000_000,
        State = "running",
        Status = "Up 2 minutes",
        Ports = [new ContainerPort { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" }, new ContainerPort { PrivatePort = 443, Type = "tcp" }],
        Labels = new() { ["b"] = "2", ["a"] = "1" },
    };

    [Fact]
    public void PsDefaultTable_MatchesDockerLayout()
    {
        var output = FormattedWriter.Render(ContainerRows.DefaultTableFormat, ContainerRows.Headers, [ContainerRows.ToRow(Sample(), true, Now)]);
        var lines = output.Split('\n');
        Assert.Equal("CONTAINER ID   IMAGE     COMMAND                  CREATED              STATUS         PORTS                           NAMES", lines[0]);
        Assert.Equal("0123456789ab   busybox   \"sh -c 'while true; …\"   About a minute ago   Up 2 minutes   0.0.0.0:8080->80/tcp, 443/tcp   web", lines[1]);
    }

    [Fact]
    public void PsRow_NoTrunc_KeepsFullValues()
    {
        var row = ContainerRows.ToRow(Sample(), false, Now);
        Assert.Equal(Sample().Id, row.GetProperty("ID").GetString());
        Assert.Equal("\"sh -c 'while true; do sleep 1; done'\"", row.GetProperty("Command").GetString());
        Assert.Equal("web,other/alias", row.GetProperty("Names").GetString());
        Assert.Equal("a=1,b=2", row.GetProperty("Labels").GetString());
    }

    [Fact]
    public void PsCustomFormat_NonTable_OneLinePerRow()
    {
        var output = FormattedWriter.Render("{{.Names}}\\t{{.State}}", ContainerRows.Headers, [ContainerRows.ToRow(Sample(), true, Now)]);
        Assert.Equal("web\trunning\n", output);
    }

    [Fact]
    public void PsJsonFormat_HasSortedStringFields()
    {
        var output = FormattedWriter.Render("{{json .}}", ContainerRows.Headers, [ContainerRows.ToRow(Sample(), true, Now)]);
        Assert.StartsWith("{\"Command\":", output, StringComparison.Ordinal);
        Assert.Contains("\"State\":\"running\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageRows_TaggedAndUntagged_OneRowPerTag()
    {
        var image = new ImageSummary { Id = "sha256:" + new string('a', 64), RepoTags = ["busybox:latest", "my/bb:1"], Created = 1_700_000_000, Size = 4_261_000 };
        var untagged = new ImageSummary { Id = "sha256:" + new string('b', 64), Created = 1_700_000_000, Size = 10 };
        var output = FormattedWriter.Render(ImageRows.DefaultTableFormat, ImageRows.Headers,
            ImageRows.ToRows(image, true, Now).Concat(ImageRows.ToRows(untagged, true, Now)));
        var lines = output.Split('\n');
        Assert.Equal("REPOSITORY   TAG       IMAGE ID       CREATED              SIZE", lines[0]);
        Assert.Equal("busybox      latest    aaaaaaaaaaaa   About a minute ago   4.26MB", lines[1]);
        Assert.Equal("my/bb        1         aaaaaaaaaaaa   About a minute ago   4.26MB", lines[2]);
        Assert.Equal("<none>       <none>    bbbbbbbbbbbb   About a minute ago   10B", lines[3]);
    }

    [Fact]
    public void EventLine_Format_MatchesDocker()
    {
        var message = new EventMessage
        {
            Type = "container", Action = "start", TimeNano = 1_700_000_000_123_456_789,
            Actor = new EventActor { ID = "abc", Attributes = { ["name"] = "web", ["image"] = "busybox" } },
        };
        Assert.Equal("2023-11-14T22:13:20.123456789Z container start abc (image=busybox, name=web)", EventLine.Format(message, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Ellipsis_LongText_CutsWithMarker()
    {
        Assert.Equal("abcd…", ContainerRows.Ellipsis("abcdefgh", 5));
        Assert.Equal("abc", ContainerRows.Ellipsis("abc", 5));
    }
}

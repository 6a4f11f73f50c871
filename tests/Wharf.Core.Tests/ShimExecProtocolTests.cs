using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Core.Shim;
using Xunit;

namespace Wharf.Core.Tests;

public sealed class ShimExecProtocolTests
{
    [Fact]
    public void ExecRequest_RoundTrips_WithItsProcess()
    {
        var request = new ShimRequest
        {
            Op = ShimOps.Exec,
            ExecId = "abc",
            Tty = true,
            Stdin = true,
            Process = new SpecProcess { Args = ["sh", "-c", "echo hi"], Env = ["A=1"], Cwd = "/tmp", Terminal = true, ConsoleSize = new SpecBox(24, 80) },
        };

        var json = JsonSerializer.Serialize(request, CoreJsonContext.Default.ShimRequest);
        var back = JsonSerializer.Deserialize(json, CoreJsonContext.Default.ShimRequest)!;

        Assert.Contains("\"execId\":\"abc\"", json, StringComparison.Ordinal);
        Assert.Equal("exec", back.Op);
        Assert.True(back.Tty);
        Assert.Equal(["sh", "-c", "echo hi"], back.Process!.Args);
        Assert.Equal(new SpecBox(24, 80), back.Process.ConsoleSize);
        Assert.DoesNotContain('\n', json); // the protocol is one request per line
    }

    [Fact]
    public void OldRequest_WithoutExecFields_StillParses()
    {
        var back = JsonSerializer.Deserialize("{\"op\":\"resize\",\"height\":40,\"width\":100}", CoreJsonContext.Default.ShimRequest)!;
        Assert.Null(back.ExecId);
        Assert.Null(back.Process);
        Assert.Equal(40, back.Height);
    }
}

using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

public sealed class RunExitCodesTests
{
    [Theory]
    [InlineData("failed to create task: exec: \"nope\": executable file not found in $PATH", 127)]
    [InlineData("exec: \"/bin/x\": stat /bin/x: no such file or directory", 127)]
    [InlineData("exec: \"/etc\": permission denied", 126)]
    [InlineData("exec: \"/etc\": is a directory", 126)]
    [InlineData("No such image: busybox:latest", 125)]
    [InlineData("Conflict. The container name \"/x\" is already in use", 125)]
    public void FromErrorMessage_MapsLikeDocker(string message, int expected)
    {
        Assert.Equal(expected, RunExitCodes.FromErrorMessage(message));
    }
}

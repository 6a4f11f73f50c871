namespace Wharf.Linux.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigkill", 9)]
    [InlineData("KILL", 9)]
    [InlineData("15", 15)]
    [InlineData("9", 9)]
    [InlineData("HUP", 1)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("USR2", 12)]
    [InlineData("SIGCHLD", 17)]
    [InlineData("WINCH", 28)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("RTMAX", 64)]
    [InlineData("RTMAX-2", 62)]
    [InlineData("64", 64)]
    public void TryParse_KnownSignal_ReturnsLinuxNumber(string text, int expected)
    {
        Assert.True(Signals.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("65")]
    [InlineData("NOPE")]
    [InlineData("SIG")]
    [InlineData("SIGRTMIN+31")]
    [InlineData("RTMAX-31")]
    [InlineData("1.5")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(Signals.TryParse(text, out _));
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(9, "SIGKILL")]
    [InlineData(6, "SIGABRT")]
    [InlineData(36, "SIGRTMIN+2")]
    public void NameOf_Number_ReturnsCanonicalName(int signal, string expected)
    {
        Assert.Equal(expected, Signals.NameOf(signal));
        Assert.True(Signals.TryParse(expected, out var back));
        Assert.Equal(signal, back);
    }
}

using Wharf.Core.Errors;
using Wharf.Engine.Signals;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class SignalNamesTests
{
    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("SIGTERM", 15)]
    [InlineData("15", 15)]
    [InlineData("sigkill", 9)]
    [InlineData("KILL", 9)]
    [InlineData("hup", 1)]
    [InlineData("SIGCHLD", 17)]
    [InlineData("CLD", 17)]
    [InlineData("IOT", 6)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("RTMIN+3", 37)]
    [InlineData("SIGRTMAX-1", 63)]
    [InlineData("RTMAX", 64)]
    [InlineData("64", 64)]
    [InlineData("SIGWINCH", 28)]
    public void TryParse_ValidSpelling_ReturnsNumber(string text, int expected)
    {
        Assert.True(SignalNames.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    [InlineData("SIGFOO")]
    [InlineData("RTMIN+31")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMAX+1")]
    [InlineData("SIG")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(SignalNames.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsDockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => SignalNames.Parse("NOPE"));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("Invalid signal: NOPE", e.Message);
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(9, "SIGKILL")]
    [InlineData(31, "SIGSYS")]
    [InlineData(34, "SIGRTMIN")]
    [InlineData(37, "SIGRTMIN+3")]
    [InlineData(49, "SIGRTMIN+15")]
    [InlineData(50, "SIGRTMAX-14")]
    [InlineData(64, "SIGRTMAX")]
    public void NameOf_Signal_ReturnsCanonicalName(int signal, string expected)
    {
        Assert.Equal(expected, SignalNames.NameOf(signal));
    }

    [Fact]
    public void NameOf_EveryValidSignal_RoundTripsThroughTryParse()
    {
        for (var signal = 1; signal <= 64; signal++)
        {
            var name = SignalNames.NameOf(signal);
            if (name is null)
            {
                continue; // 32 and 33 belong to glibc and have no name
            }

            Assert.True(SignalNames.TryParse(name, out var parsed), name);
            Assert.Equal(signal, parsed);
        }

        Assert.Null(SignalNames.NameOf(32));
        Assert.Null(SignalNames.NameOf(0));
    }
}

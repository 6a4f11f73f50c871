using Wharf.Daemon.Configuration;
using Wharf.Daemon.Http;

namespace Wharf.Daemon.Tests;

public sealed class DaemonHardeningTests
{
    [Fact]
    public void Refusal_TcpHostWithoutTls_RefusesToStart()
    {
        var settings = DaemonSettingsLoader.Load(["--config-file", "/nonexistent", "-H", "unix:///tmp/x.sock", "-H", "tcp://127.0.0.1:2375"]);
        var refusal = TcpListenerPolicy.Refusal(settings);
        Assert.NotNull(refusal);
        Assert.Contains("--tls=false", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tls=false")]
    [InlineData("--tlsverify")]
    [InlineData("--tls")]
    public void Refusal_TcpHostWithTlsOrExplicitOptOut_Starts(string flag)
    {
        var settings = DaemonSettingsLoader.Load(["--config-file", "/nonexistent", "-H", "tcp://127.0.0.1:2375", flag]);
        Assert.Null(TcpListenerPolicy.Refusal(settings));
    }

    [Fact]
    public void Refusal_UnixSocketOnly_Starts() =>
        Assert.Null(TcpListenerPolicy.Refusal(DaemonSettingsLoader.Load(["--config-file", "/nonexistent", "-H", "unix:///tmp/x.sock"])));

    [Fact]
    public void Refusal_DaemonJsonTlsFalse_CountsAsExplicit()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"tls": false, "hosts": ["tcp://127.0.0.1:2375"]}""");
            Assert.Null(TcpListenerPolicy.Refusal(DaemonSettingsLoader.Load(["--config-file", file])));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Classify_UnexpectedException_AnswersGeneric500WithoutHostPathOrStack()
    {
        Exception thrown;
        try
        {
            throw new DirectoryNotFoundException("Could not find a part of the path '/var/lib/wharf/volumes/secret/_data'.");
        }
        catch (DirectoryNotFoundException e)
        {
            thrown = e;
        }
        var (status, message) = ErrorMiddleware.Classify(thrown);
        Assert.Equal(500, status);
        Assert.DoesNotContain("/var/lib", message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.Equal(ErrorMiddleware.UnexpectedMessage, message);
    }
}

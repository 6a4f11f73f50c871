using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>The hub between the output pumps and the log/attachers: held output during start, bounded; a failing
/// log writer costs only the log.</summary>
public sealed class OutputHubTests
{
    [Fact]
    public void Publish_BeforeGoLive_IsHeldThenWrittenInOrder()
    {
        using var log = new RecordingLogWriter();
        using var hub = new OutputHub(log, TimeProvider.System);

        hub.Publish(OutputStream.Stdout, "one "u8);
        hub.Publish(OutputStream.Stdout, "two "u8);
        Assert.Equal("", log.Text(OutputStream.Stdout));
        hub.GoLive();
        hub.Publish(OutputStream.Stdout, "three"u8);

        Assert.Equal("one two three", log.Text(OutputStream.Stdout));
    }

    [Fact]
    public void DiscardHeld_StartFailed_RuncsWordsNeverReachTheLog()
    {
        using var log = new RecordingLogWriter();
        using var hub = new OutputHub(log, TimeProvider.System);

        hub.Publish(OutputStream.Stderr, "runc: failed\n"u8);
        hub.DiscardHeld();
        hub.Publish(OutputStream.Stderr, "late\n"u8);
        hub.Complete();

        Assert.Equal("", log.Text(OutputStream.Stderr));
        Assert.Equal(0, log.Flushes);
    }

    [Fact]
    public async Task Publish_HeldOutputFull_WaitsForStartInsteadOfGrowing()
    {
        using var log = new RecordingLogWriter();
        using var hub = new OutputHub(log, TimeProvider.System);
        var chunk = new byte[OutputHub.MaxHeldBytes / 2 + 1];
        hub.Publish(OutputStream.Stdout, chunk);

        var second = Task.Factory.StartNew(() => hub.Publish(OutputStream.Stdout, chunk), TaskCreationOptions.LongRunning);
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "past the bound the pump waits");
        hub.GoLive();

        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2 * chunk.Length, log.Text(OutputStream.Stdout).Length);
    }

    [Fact]
    public void Publish_LogWriterFailsThenRecovers_LaterOutputIsStillLogged()
    {
        using var log = new RecordingLogWriter();
        using var hub = new OutputHub(log, TimeProvider.System);
        hub.GoLive();

        log.Failure = new IOException("No space left on device");
        hub.Publish(OutputStream.Stdout, "lost\n"u8);
        hub.Publish(OutputStream.Stdout, "lost too\n"u8);
        log.Failure = null;
        hub.Publish(OutputStream.Stdout, "kept\n"u8);

        Assert.Equal("kept\n", log.Text(OutputStream.Stdout));
    }

    [Fact]
    public void Complete_FlushThrows_StillCompletes()
    {
        using var log = new RecordingLogWriter();
        using var hub = new OutputHub(log, TimeProvider.System);
        hub.GoLive();
        log.Failure = new InvalidOperationException("a writer bug");

        hub.Complete();
        hub.Publish(OutputStream.Stdout, "after the end\n"u8);

        log.Failure = null;
        Assert.Equal("", log.Text(OutputStream.Stdout));
    }

    [Fact]
    public async Task Dispose_WriterStuckInAWrite_ReturnsAnyway()
    {
        using var log = new RecordingLogWriter { Block = new ManualResetEventSlim(false) };
        var hub = new OutputHub(log, TimeProvider.System);
        hub.GoLive();
        var pump = Task.Factory.StartNew(() => hub.Publish(OutputStream.Stdout, "stuck\n"u8), TaskCreationOptions.LongRunning);
        Assert.True(log.Entered.Wait(TimeSpan.FromSeconds(10)));

        await Task.Run(hub.Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // the shim can leave while its log writer hangs

        log.Block.Set();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

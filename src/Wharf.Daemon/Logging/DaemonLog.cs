namespace Wharf.Daemon.Logging;

/// <summary>Source-generated log messages for the daemon.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "API listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daemon has completed initialization: {Containers} containers, {Images} images, data root {DataRoot}")]
    public static partial void Ready(ILogger logger, int containers, int images, string dataRoot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binding to {Address} without TLS: anyone who can reach it controls the host")]
    public static partial void InsecureTcp(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: containers keep running under their shims")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "attach to {Container} ended: {Reason}")]
    public static partial void AttachEnded(ILogger logger, string container, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS client certificate {Subject} refused: {Reason}")]
    public static partial void ClientCertificateRejected(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS handshake with {Peer} failed: no valid client certificate, or the client does not speak TLS")]
    public static partial void TlsHandshakeFailed(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "API listening on {Address} with TLS{Verification}")]
    public static partial void ListeningTls(ILogger logger, string address, string verification);

    [LoggerMessage(Level = LogLevel.Warning, Message = "container {Container} is listed with its id and name only: its record could not be mapped")]
    public static partial void RecordNotListable(ILogger logger, string container, Exception exception);
}

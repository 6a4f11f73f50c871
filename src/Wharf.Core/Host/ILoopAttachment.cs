namespace Wharf.Core.Host;

/// <summary>A loop device bound to an image file, held open by us until disposed. Mount the device, then dispose:
/// the mount keeps the device alive and its unmount releases it (autoclear); disposing without a mount releases
/// it at once.</summary>
public interface ILoopAttachment : IDisposable
{
    /// <summary>The block device, e.g. /dev/loop3.</summary>
    string DevicePath { get; }
}

namespace Wharf.Core.Host;

/// <summary>Loop devices, so a filesystem image file (not only a block device) can be mounted: what the local
/// volume driver needs for <c>type=ext4,device=/path/to/file.img</c>. Implemented by Wharf.Linux; faked in tests.</summary>
public interface ILoopDevices
{
    /// <summary>True when <paramref name="path"/> (symlinks followed) is a regular file, i.e. an image that needs a
    /// loop device; false for a block device, a missing path or anything else.</summary>
    bool IsImageFile(string path);

    /// <summary>Binds a free loop device to <paramref name="imageFile"/> with autoclear: the kernel detaches it
    /// as soon as nothing holds it any more, i.e. when the returned attachment is disposed (after the mount took
    /// its own reference) and the filesystem is later unmounted.</summary>
    ILoopAttachment Attach(string imageFile, bool readOnly);
}

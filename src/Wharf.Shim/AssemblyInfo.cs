// The shim only ever runs on Linux (it drives runc and Linux syscalls).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

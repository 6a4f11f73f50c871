using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Wharf.Daemon.Tests")]

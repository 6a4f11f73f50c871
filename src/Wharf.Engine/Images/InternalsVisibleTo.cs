using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Wharf.Engine.Tests")]

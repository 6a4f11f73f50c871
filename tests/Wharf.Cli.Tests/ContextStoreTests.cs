using System.Formats.Tar;
using System.Text;
using Wharf.Api.Client;
using Wharf.Cli.Commands.Contexts;
using Wharf.Cli.Commands;
using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

/// <summary>The context store must be byte-compatible with the docker CLI's: the expectations below were taken from
/// `docker context create t1 --description hello --docker host=tcp://127.0.0.1:2376,...` (docker 28.2.2).</summary>
public sealed class ContextStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-ctx-");

    public void Dispose() => _dir.Delete(recursive: true);

    private ContextStore Store => new(_dir.FullName);

    [Fact]
    public void DirectoryName_IsSha256OfTheName_LikeDocker()
    {
        Assert.Equal("628b49d96dcde97a430dd4f597705899e09a968f793491e4b704cae33a40dc02", ContextStore.DirectoryName("t1"));
    }

    [Fact]
    public void Save_WritesDockersMetaJsonAndTlsFiles()
    {
        Store.Save("t1", "hello", "tcp://127.0.0.1:2376", false, new Dictionary<string, byte[]> { ["ca.pem"] = "CA"u8.ToArray(), ["cert.pem"] = "C"u8.ToArray(), ["key.pem"] = "K"u8.ToArray() });

        var meta = File.ReadAllText(Path.Combine(_dir.FullName, "contexts", "meta", ContextStore.DirectoryName("t1"), "meta.json"));
        Assert.Equal("""{"Name":"t1","Metadata":{"Description":"hello"},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2376","SkipTLSVerify":false}}}""", meta);
        var tlsDir = Path.Combine(_dir.FullName, "contexts", "tls", ContextStore.DirectoryName("t1"), "docker");
        Assert.Equal("K", File.ReadAllText(Path.Combine(tlsDir, "key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tlsDir, "key.pem")));

        var found = Store.Get("t1");
        Assert.Equal("hello", found.Description);
        Assert.Equal(["ca.pem", "cert.pem", "key.pem"], found.TlsFiles);
    }

    [Fact]
    public void SetCurrentContext_KeepsOtherConfigKeys_AndDefaultClearsIt()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "config.json"), """{"auths":{"r:5000":{"auth":"eA=="}},"psFormat":"x"}""");
        Store.Save("a", "", "unix:///x.sock", false, new Dictionary<string, byte[]>());

        Store.SetCurrentContext("a");
        Assert.Equal("a", Store.CurrentContext);
        var text = File.ReadAllText(Path.Combine(_dir.FullName, "config.json"));
        Assert.Contains("\"r:5000\"", text, StringComparison.Ordinal);
        Assert.Contains("\"psFormat\"", text, StringComparison.Ordinal);

        Store.SetCurrentContext("default");
        Assert.Null(Store.CurrentContext);
    }

    [Theory]
    [InlineData("default", "\"default\" is a reserved context name")]
    [InlineData("-bad", "is invalid")]
    [InlineData("a/b", "is invalid")]
    public void ValidateName_RejectsWhatDockerRejects(string name, string message)
    {
        var error = Assert.Throws<ContextException>(() => ContextStore.ValidateName(name));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_FollowsDockersOrder()
    {
        Store.Save("remote", "", "tcp://10.0.0.1:2375", false, new Dictionary<string, byte[]>());
        Store.Save("other", "", "unix:///other.sock", false, new Dictionary<string, byte[]>());
        Store.SetCurrentContext("remote");
        var env = new Dictionary<string, string>();
        var resolver = new EndpointResolver(Store, k => env.GetValueOrDefault(k));

        Assert.Equal("tcp://10.0.0.1:2375", resolver.Resolve(Global()).ToString());
        env["DOCKER_CONTEXT"] = "other";
        Assert.Equal("unix:///other.sock", resolver.Resolve(Global()).ToString());
        env["WHARF_HOST"] = "unix:///env.sock";
        Assert.Equal("unix:///env.sock", resolver.Resolve(Global()).ToString());
        Assert.Equal("tcp://10.0.0.1:2375", resolver.Resolve(Global("--context", "remote")).ToString());
        Assert.Equal("unix:///flag.sock", resolver.Resolve(Global("-H", "unix:///flag.sock")).ToString());
        Assert.Throws<ContextException>(() => resolver.Resolve(Global("-H", "unix:///a", "--context", "remote")));
        var missing = Assert.Throws<ContextException>(() => resolver.Resolve(Global("--context", "nope")));
        Assert.Equal("context \"nope\" does not exist", missing.Message);
    }

    [Fact]
    public void Resolver_TlsFromContextMaterialAndFromFlags()
    {
        Store.Save("secure", "", "tcp://127.0.0.1:2376", true, new Dictionary<string, byte[]> { ["ca.pem"] = "x"u8.ToArray() });
        var env = new Dictionary<string, string>();
        var resolver = new EndpointResolver(Store, k => env.GetValueOrDefault(k));

        var fromContext = resolver.Resolve(Global("--context", "secure"));
        Assert.NotNull(fromContext.Tls);
        Assert.False(fromContext.Tls!.VerifyServer); // SkipTLSVerify

        var plain = resolver.Resolve(Global("-H", "tcp://127.0.0.1:2376"));
        Assert.Null(plain.Tls);

        env["DOCKER_TLS_VERIFY"] = "1";
        env["DOCKER_CERT_PATH"] = "/certs";
        var fromEnv = resolver.Resolve(Global("-H", "tcp://127.0.0.1:2376"));
        Assert.Equal(new TlsClientOptions("/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem", true), fromEnv.Tls);

        env.Clear();
        var fromFlags = resolver.Resolve(Global("-H", "tcp://127.0.0.1:2376", "--tls", "--tlscacert", "/c/ca.pem"));
        Assert.Equal("/c/ca.pem", fromFlags.Tls!.CaFile);
        Assert.False(fromFlags.Tls.VerifyServer);
    }

    [Fact]
    public void Archive_RoundTrip_AndHostileEntriesRejected()
    {
        Store.Save("t1", "hello", "tcp://127.0.0.1:2376", false, new Dictionary<string, byte[]> { ["ca.pem"] = "CA"u8.ToArray() });
        using var archive = new MemoryStream();
        ContextArchive.Write(Store, Store.Get("t1"), archive);

        archive.Position = 0;
        var names = new List<string>();
        using (var reader = new TarReader(archive, leaveOpen: true))
        {
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        }

        Assert.Equal(["meta.json", "tls", "tls/docker", "tls/docker/ca.pem"], names);

        archive.Position = 0;
        ContextArchive.Import(Store, "copy", archive);
        var copy = Store.Get("copy");
        Assert.Equal(("hello", "tcp://127.0.0.1:2376"), (copy.Description, copy.Host));
        Assert.Equal("CA", File.ReadAllText(Path.Combine(copy.TlsDirectory!, "ca.pem")));

        using var hostile = new MemoryStream();
        using (var writer = new TarWriter(hostile, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "meta.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("""{"Name":"x","Endpoints":{}}""")) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../evil") { DataStream = new MemoryStream([1]) });
        }

        hostile.Position = 0;
        Assert.Throws<ContextException>(() => ContextArchive.Import(Store, "evil", hostile));
        Assert.Null(Store.Find("evil"));
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "..", "evil")));
    }

    [Fact]
    public void ParseDockerEndpoint_ReadsHostSkipVerifyAndFiles()
    {
        var ca = Path.Combine(_dir.FullName, "ca.pem");
        File.WriteAllText(ca, "CA");
        var (host, skip, files) = ContextCreateCommand.ParseDockerEndpoint($"host=tcp://1.2.3.4:2376,ca={ca},skip-tls-verify=true");
        Assert.Equal(("tcp://1.2.3.4:2376", true), (host, skip));
        Assert.Equal("CA", Encoding.UTF8.GetString(files["ca.pem"]));
        Assert.Throws<ContextException>(() => ContextCreateCommand.ParseDockerEndpoint("host=tcp://x:1,bogus=1"));
        Assert.Throws<ContextException>(() => ContextCreateCommand.ParseDockerEndpoint($"cert={ca}"));
    }

    private static ParsedArgs Global(params string[] args) => ArgParser.Parse(args,
    [
        OptionSpec.Value("host", 'H'), OptionSpec.Value("context", 'c'), OptionSpec.Flag("tls"), OptionSpec.Flag("tlsverify"),
        OptionSpec.Value("tlscacert"), OptionSpec.Value("tlscert"), OptionSpec.Value("tlskey"), OptionSpec.Value("config"),
    ]);
}

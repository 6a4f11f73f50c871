using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Daemon.Endpoints;
using Wharf.EndToEnd.Tests.Fuzz;
using Xunit.Abstractions;

namespace Wharf.EndToEnd.Tests;

/// <summary>A request fuzzer over every registered route of the API, on a daemon of its own (its requests create, rename,
/// prune and remove things no other test should see): malformed path parameters, query values and JSON bodies. No
/// answer may be a 5xx other than the two Docker gives on purpose (501 not implemented, 503 no swarm/cluster), none may
/// hang, and the daemon answers /_ping and every list afterwards. Bounded by count and time; the seed is fixed unless
/// WHARF_FUZZ_SEED says otherwise, and printed.</summary>
public sealed class RequestFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30); // with the daemon's start and busybox import, under a minute
    private const int MaxRequests = 4000;
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan BodyWindow = TimeSpan.FromMilliseconds(500);
    private static readonly string[] Versions = ["v1.50/", "v1.50/", "v1.50/", "v1.44/", "v1.24/", "", "v99.99/"];

    [Fact]
    public async Task EveryRoute_MalformedInput_NoServerErrorNoHangDaemonStillAnswers()
    {
        // The suite gates every merge, so its pass is the same each run (a fixed seed): a new finding must come from a
        // change, not from luck. WHARF_FUZZ_SEED=<n> replays a run, WHARF_FUZZ_SEED=random explores.
        var seedSetting = Environment.GetEnvironmentVariable("WHARF_FUZZ_SEED");
        var seed = int.TryParse(seedSetting, out var s) ? s : seedSetting == "random" ? Environment.TickCount : 20261207;
        output.WriteLine($"seed {seed}");
        var spec = Path.Combine(AppContext.BaseDirectory, "Reference", "docker-engine-api.yaml");
        var specRoutes = ApiRouteCoverageTests.SpecRoutes().Select(r => ((string)r[0], (string)r[1])).ToList();
        var targets = FuzzTarget.From(ApiRoutes.Registered(), specRoutes, SpecQueryParameters.Read(spec));
        Assert.True(targets.Count > 90, $"only {targets.Count} routes to fuzz");

        var daemon = new DaemonFixture();
        await daemon.InitializeAsync();
        try
        {
            using var client = daemon.CreateHttpClient();
            client.Timeout = Timeout.InfiniteTimeSpan; // each request has its own deadline below
            var real = new RealObjects(daemon, client);
            var inputs = new FuzzInputs(seed);
            var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var failures = new List<string>();
            var routesHit = new HashSet<FuzzTarget>();
            var clock = Stopwatch.StartNew();
            var sent = 0;
            while (clock.Elapsed < Budget && sent < MaxRequests)
            {
                await real.EnsureAsync();
                foreach (var target in inputs.Shuffled(targets))
                {
                    if (clock.Elapsed >= Budget || sent >= MaxRequests) break;
                    var (url, body) = Compose(target, inputs, real);
                    var outcome = await SendAsync(client, target.Method, url, body);
                    sent++;
                    routesHit.Add(target);
                    tally[outcome.Class] = tally.GetValueOrDefault(outcome.Class) + 1;
                    if (outcome.Failure is { } failure)
                        failures.Add($"{target.Method} /{Shorten(url)} body {Shorten(Encoding.UTF8.GetString(body ?? []))}: {failure}");
                }
            }

            output.WriteLine($"{sent} requests over {routesHit.Count}/{targets.Count} routes in {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var (outcomeClass, count) in tally) output.WriteLine($"  {outcomeClass}: {count}");
            foreach (var failure in failures.Take(50)) output.WriteLine("FAIL " + failure);

            Assert.Equal(targets.Count, routesHit.Count);
            Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(20))}\n--- daemon log (errors) ---\n{ErrorLines(daemon)}");
            foreach (var path in new[] { "_ping", "v1.50/containers/json?all=1", "v1.50/images/json", "v1.50/volumes", "v1.50/networks", "v1.50/info" })
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} after fuzzing: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            var ps = await daemon.DockerAsync("ps", "-a");
            Assert.True(ps.ExitCode == 0, ps.ToString());
        }
        finally
        {
            await RemoveEverythingAsync(daemon);
            await daemon.DisposeAsync();
        }
    }

    private static (string Url, byte[]? Body) Compose(FuzzTarget target, FuzzInputs inputs, RealObjects real)
    {
        var segments = target.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i] == "{}") segments[i] = inputs.PathValue(real.For(target.Method, target.Path));
        var url = inputs.Pick(Versions) + string.Join('/', segments).TrimStart('/') + inputs.Query(target.Query);
        var body = target.Method is "POST" or "PUT" && inputs.Chance(0.85) ? inputs.Body() : null;
        return (url, body);
    }

    private sealed record Outcome(string Class, string? Failure);

    private static async Task<Outcome> SendAsync(HttpClient client, string method, string url, byte[]? body)
    {
        HttpRequestMessage request;
        try
        {
            request = new HttpRequestMessage(new HttpMethod(method), url);
        }
        catch (UriFormatException)
        {
            return new Outcome("not sent (client refused the URL)", null);
        }
        using (request)
        {
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            using var headers = new CancellationTokenSource(HeadersTimeout);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            }
            catch (OperationCanceledException)
            {
                return new Outcome("hang", $"no answer within {HeadersTimeout.TotalSeconds} s");
            }
            catch (HttpRequestException e) when (body is { Length: > 64 * 1024 } && e.InnerException is IOException)
            {
                // The daemon answered a large body it did not need (a 404 for the path) and closed the connection before
                // reading it all, as HTTP allows; this client cannot read an answer once its upload failed. A crash would
                // show in the /_ping and lists checked at the end.
                return new Outcome("closed before the whole body was sent", null);
            }
            catch (HttpRequestException e) when (body is not null && e.InnerException is IOException)
            {
                // The upload failed: the daemon answered and closed before reading the body. Kestrel does that for a
                // request it refuses at the protocol level (a %00 in the path is a 400 with "Connection: close"), and
                // the race between its close and this client's write decides whether the answer is ever read. The
                // same request without a body shows whether there was a proper answer to read.
                var withoutBody = await SendAsync(client, method, url, null);
                return withoutBody.Failure is null ? new Outcome("closed before the whole body was sent", null) : withoutBody;
            }
            catch (HttpRequestException e)
            {
                return new Outcome("connection closed", "connection closed without an answer: " + e.Message);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var (text, complete) = await ReadSomeAsync(response);
                var statusClass = $"{status / 100}xx";
                if (status is 501 or 503) return new Outcome($"{statusClass} ({status}, Docker's own)", null);
                if (status >= 500) return new Outcome(statusClass, $"{status} {Shorten(text)}");
                return new Outcome(complete ? statusClass : statusClass + " (streaming, left open)", null);
            }
        }
    }

    /// <summary>The start of the answer, and whether it ended within the window (streams — events, logs, attach — need not).</summary>
    private static async Task<(string Text, bool Complete)> ReadSomeAsync(HttpResponseMessage response)
    {
        var buffer = new byte[4096];
        var total = 0;
        using var window = new CancellationTokenSource(BodyWindow);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(window.Token);
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(total == buffer.Length ? 0 : total), window.Token)) > 0)
                total = Math.Min(buffer.Length, total + n);
            return (Encoding.UTF8.GetString(buffer, 0, total), true);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            return (Encoding.UTF8.GetString(buffer, 0, total), false);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text.Replace("\n", "\\n", StringComparison.Ordinal) : text[..200].Replace("\n", "\\n", StringComparison.Ordinal) + $"…({text.Length} chars)";

    private static string ErrorLines(DaemonFixture daemon) =>
        string.Join('\n', daemon.DaemonLog().Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal)).TakeLast(150));

    /// <summary>The fuzzed requests may have made containers and networks (a bridge and firewall rules on the host):
    /// containers go first, then every network that is not predefined.</summary>
    private static async Task RemoveEverythingAsync(DaemonFixture daemon)
    {
        var ids = await daemon.DockerAsync("ps", "-aq", "--no-trunc");
        foreach (var id in ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)) await daemon.DockerAsync("rm", "-f", id);
        using var client = daemon.CreateHttpClient();
        using var networks = JsonDocument.Parse(await client.GetStringAsync("v1.50/networks"));
        foreach (var network in networks.RootElement.EnumerateArray())
        {
            var name = network.GetProperty("Name").GetString();
            if (name is "bridge" or "host" or "none") continue;
            using var _ = await client.DeleteAsync("v1.50/networks/" + network.GetProperty("Id").GetString());
        }
    }
}

using System.Diagnostics;
using System.Globalization;

namespace SelfLearning.Benchmarks;

/// <summary>
/// The bounded load test of the web sample (not a BenchmarkDotNet benchmark and not in CI): 200 concurrent clients × 50
/// requests mixing the operators' API reads and predictions through the host's <c>/predict</c>, while SSE subscribers
/// hold <c>/selflearning/api/events</c> open. Reports errors and latency percentiles. Run against a started sample:
/// <c>dotnet run -c Release --project benchmarks/SelfLearning.Core.Benchmarks -- --web-load http://127.0.0.1:5080</c>.
/// </summary>
public static class WebLoadTest
{
    private const int Clients = 200;
    private const int RequestsPerClient = 50;
    private const int Subscribers = 20;

    /// <summary>Runs the test and prints the report; returns 0 when no request failed.</summary>
    public static async Task<int> RunAsync(Uri baseAddress)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients + Subscribers + 10, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Dev-User", "load-test");
        client.DefaultRequestHeaders.Add("X-Dev-Roles", "reader");
        using var stop = new CancellationTokenSource();
        long errors = 0;
        long sseReady = 0;
        var latencies = new double[Clients * RequestsPerClient];

        if (!await ModelRegisteredAsync(client))
        {
            Console.WriteLine("web load: the sample registered no model within 120 s (GET /selflearning/api/models stayed empty); nothing measured.");
            return 1;
        }

        var subscribers = Enumerable.Range(0, Subscribers).Select(async _ =>
        {
            try
            {
                using var response = await client.GetAsync("/selflearning/api/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ready", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref sseReady);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The test is over.
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
            }
        }).ToList();

        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (int i = 0; i < RequestsPerClient; i++)
            {
                string unit = "unit-" + c.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = (i % 4) switch
                    {
                        0 => await client.GetAsync("/selflearning/api/models"),
                        1 => await client.GetAsync("/selflearning/api/models/triage"),
                        2 => await client.GetAsync("/selflearning/api/jobs?take=5"),
                        _ => await client.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/predict?unitId={unit}&score={0.55 + (0.4 * (i % 10) / 10.0)}"), null),
                    };
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[(c * RequestsPerClient) + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToList();
        await Task.WhenAll(workers);
        total.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(subscribers);

        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"web load: {Clients} clients x {RequestsPerClient} requests = {latencies.Length} requests + {Subscribers} SSE subscribers ({sseReady} subscribed) in {total.Elapsed.TotalSeconds:0.0} s; errors {errors}; latency ms p50 {Percentile(latencies, 0.50):0.0}, p95 {Percentile(latencies, 0.95):0.0}, p99 {Percentile(latencies, 0.99):0.0}, max {latencies[^1]:0.0}"));
        return errors == 0 && sseReady == Subscribers ? 0 : 1;
    }

    /// <summary>
    /// Waits until the sample has registered its first model (its feeder and loop need a few cycles after start-up), so
    /// the requests for one model measure the server and not a 404 before the first champion.
    /// </summary>
    private static async Task<bool> ModelRegisteredAsync(HttpClient client)
    {
        for (int attempt = 0; attempt < 240; attempt++)
        {
            string models = await client.GetStringAsync("/selflearning/api/models");
            if (models.Contains("\"championVersion\":", StringComparison.Ordinal) && !models.Contains("\"championVersion\":null", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return false;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

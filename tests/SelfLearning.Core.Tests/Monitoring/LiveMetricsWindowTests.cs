using SelfLearning.Tests.TestSupport;
using SelfLearning.Evaluation;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class LiveMetricsWindowTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_MoreOutcomesThanCapacity_MatchesBatchMetricsOnTheLastOutcomes()
    {
        var random = new Random(7);
        var window = new LiveMetricsWindow("triage", 1, capacity: 100, calibrationBins: 10);
        var confidence = new double[250];
        var correct = new bool[250];
        var probability = new double[250];
        var label = new bool[250];
        for (int i = 0; i < 250; i++)
        {
            confidence[i] = 0.5 + (random.NextDouble() / 2.0);
            correct[i] = random.NextDouble() < confidence[i];
            probability[i] = random.NextDouble();
            label[i] = random.NextDouble() < probability[i];
            window.Record(confidence[i], correct[i], probability[i], label[i]);
        }

        LiveMetricsSnapshot snapshot = window.Snapshot();

        snapshot.Count.Should().Be(100);
        snapshot.TotalRecorded.Should().Be(250);
        snapshot.CorrectCount.Should().Be(correct[150..].Count(c => c));
        snapshot.Accuracy.Should().Be(correct[150..].Count(c => c) / 100.0);
        snapshot.ExpectedCalibrationError.Should().Be(CalibrationMetrics.ExpectedCalibrationError(confidence.AsSpan(150), correct.AsSpan(150), 10));
        snapshot.BrierScore.Should().Be(CalibrationMetrics.BrierScore(probability.AsSpan(150), label.AsSpan(150)));
        snapshot.MeanConfidence.Should().BeApproximately(confidence[150..].Average(), 1e-12);
    }

    [Fact]
    public void Snapshot_TopLabelRecord_UsesConfidenceAgainstCorrectnessForBrier()
    {
        var window = new LiveMetricsWindow("triage", 1, capacity: 10);
        window.Record(0.9, true);
        window.Record(0.8, false);

        LiveMetricsSnapshot snapshot = window.Snapshot();

        snapshot.BrierScore.Should().BeApproximately(((0.1 * 0.1) + (0.8 * 0.8)) / 2.0, 1e-15);
        snapshot.Accuracy.Should().Be(0.5);
    }

    [Fact]
    public void Snapshot_EmptyWindow_HasNullMetricsNotNaN()
    {
        var clock = new ManualTimeProvider(Start);
        var window = new LiveMetricsWindow("triage", 1, capacity: 10, timeProvider: clock);

        LiveMetricsSnapshot snapshot = window.Snapshot();

        snapshot.Should().BeEquivalentTo(new LiveMetricsSnapshot("triage", 1, 0, 0, null, null, null, null, 0, Start));
    }

    [Fact]
    public void Snapshot_TimeWindow_DropsOutcomesOlderThanTheDuration()
    {
        var clock = new ManualTimeProvider(Start);
        var window = new LiveMetricsWindow("triage", 1, capacity: 100, duration: TimeSpan.FromHours(1), timeProvider: clock);
        window.Record(0.9, false);
        window.Record(0.9, false);
        clock.Advance(TimeSpan.FromMinutes(45));
        window.Record(0.9, true);
        clock.Advance(TimeSpan.FromMinutes(30));

        LiveMetricsSnapshot snapshot = window.Snapshot();

        snapshot.Count.Should().Be(1, "the two outcomes of 75 minutes ago left the one-hour window");
        snapshot.Accuracy.Should().Be(1.0);
        snapshot.TotalRecorded.Should().Be(3);

        clock.Advance(TimeSpan.FromHours(1));
        window.Snapshot().Count.Should().Be(0);
    }

    [Fact]
    public void Record_ManyThreads_LosesNoOutcome()
    {
        const int threads = 8;
        const int perThread = 5_000;
        var window = new LiveMetricsWindow("triage", 1, capacity: threads * perThread);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < perThread; i++)
            {
                // Thread t records a correct outcome every (t + 2)-th time.
                window.Record(0.75, i % (t + 2) == 0);
            }
        });

        LiveMetricsSnapshot snapshot = window.Snapshot();
        int expectedCorrect = Enumerable.Range(0, threads).Sum(t => Enumerable.Range(0, perThread).Count(i => i % (t + 2) == 0));
        snapshot.Count.Should().Be(threads * perThread);
        snapshot.TotalRecorded.Should().Be(threads * perThread);
        snapshot.CorrectCount.Should().Be(expectedCorrect);
    }

    [Fact]
    public async Task Record_ConcurrentWithSnapshots_KeepsTheWindowConsistent()
    {
        var window = new LiveMetricsWindow("triage", 1, capacity: 64);
        using var stop = new CancellationTokenSource();
        using var midWriteSeen = new ManualResetEventSlim();
        long snapshotsMidWrite = 0;
        Task reader = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    LiveMetricsSnapshot s = window.Snapshot();
                    s.Count.Should().BeLessThanOrEqualTo(64);
                    s.CorrectCount.Should().Be(s.Count, "every recorded outcome is correct");
                    if (s.TotalRecorded is > 0 and < 80_000)
                    {
                        snapshotsMidWrite++;
                        midWriteSeen.Set();
                    }
                }
            },
            TaskCreationOptions.LongRunning);

        Parallel.For(0, 4, w =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                window.Record(0.6, true);

                // One writer waits, part-way, for the reader to take a snapshot between writes: the race really happens.
                if (w == 0 && i == 10_000)
                {
                    midWriteSeen.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("the reader takes snapshots while outcomes are recorded");
                }
            }
        });
        await stop.CancelAsync();
        await reader;

        window.Snapshot().TotalRecorded.Should().Be(80_000);
        snapshotsMidWrite.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Record_ConfidenceOutsideUnitInterval_ThrowsNamingConfidence(double confidence)
    {
        var window = new LiveMetricsWindow("triage", 1, capacity: 10);

        FluentActions.Invoking(() => window.Record(confidence, true))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(confidence));
        FluentActions.Invoking(() => window.Record(0.5, true, confidence, true))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheArgument()
    {
        FluentActions.Invoking(() => new LiveMetricsWindow(" ", 1, 10)).Should().Throw<ArgumentException>().WithParameterName("model");
        FluentActions.Invoking(() => new LiveMetricsWindow("m", 1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
        FluentActions.Invoking(() => new LiveMetricsWindow("m", 1, 10, TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("duration");
        FluentActions.Invoking(() => new LiveMetricsWindow("m", 1, 10, calibrationBins: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("calibrationBins");
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class SelfLearningTelemetryTests
{
    [Fact]
    public void Instruments_RecordedValues_ReachAMeterListenerWithTags()
    {
        var liveMetrics = new LiveMetrics(MonitoringTestOptions.Create());
        liveMetrics.Record("triage", 1, 0.9, true);
        liveMetrics.Record("triage", 1, 0.8, false);
        liveMetrics.Record("triage", 1, 0.7, true);
        using var telemetry = new SelfLearningTelemetry(liveMetrics);
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, telemetry.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();

        telemetry.RecordPrediction("triage", 1);
        telemetry.RecordPrediction("triage", 1);
        telemetry.RecordOutcome("triage", 1, correct: true);
        telemetry.RecordDriftPsi("score", 0.31);
        telemetry.RecordRollback("triage", 1, RollbackReasonKind.AccuracyRegression);
        telemetry.RecordPromotion("triage", 2);
        telemetry.RecordTrainingJob("triage", "failed", TimeSpan.FromSeconds(12.5));
        listener.RecordObservableInstruments();

        telemetry.Meter.Name.Should().Be("SelfLearning");
        measurements.Where(m => m.Instrument == SelfLearningInstruments.Predictions).Sum(m => m.Value).Should().Be(2);
        measurements.Single(m => m.Instrument == SelfLearningInstruments.Outcomes).Tags.Should().Contain("correct", true);
        measurements.Single(m => m.Instrument == SelfLearningInstruments.DriftPsi).Value.Should().Be(0.31);
        measurements.Single(m => m.Instrument == SelfLearningInstruments.Rollbacks).Tags.Should().Contain("reason", "AccuracyRegression");
        measurements.Single(m => m.Instrument == SelfLearningInstruments.Promotions).Tags.Should().Contain("version", 2);
        measurements.Single(m => m.Instrument == SelfLearningInstruments.TrainingJobs).Tags.Should().Contain("status", "failed");
        measurements.Single(m => m.Instrument == SelfLearningInstruments.TrainingDuration).Value.Should().Be(12.5);
        var accuracy = measurements.Single(m => m.Instrument == SelfLearningInstruments.LiveAccuracy);
        accuracy.Value.Should().BeApproximately(2.0 / 3.0, 1e-15);
        accuracy.Tags.Should().Contain("model", "triage").And.Contain("version", 1);
        measurements.Single(m => m.Instrument == SelfLearningInstruments.LiveCalibrationError).Value
            .Should().Be(liveMetrics.GetWindow("triage", 1).Snapshot().ExpectedCalibrationError);
        measurements.Select(m => m.Instrument).Distinct().Should().BeEquivalentTo(SelfLearningInstruments.All);
    }

    [Fact]
    public void ActivitySource_IsNamedSelfLearningAndStartsActivitiesForListeners()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "SelfLearning",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);

        using Activity? activity = SelfLearningTelemetry.ActivitySource.StartActivity("train");

        activity.Should().NotBeNull();
        activity!.Source.Name.Should().Be(SelfLearningTelemetry.Name);
    }

    [Fact]
    public void RecordDriftPsi_NegativeOrNaN_ThrowsNamingPsi()
    {
        using var telemetry = new SelfLearningTelemetry();

        FluentActions.Invoking(() => telemetry.RecordDriftPsi("score", -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("psi");
        FluentActions.Invoking(() => telemetry.RecordDriftPsi("score", double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("psi");
        FluentActions.Invoking(() => telemetry.RecordTrainingJob("triage", "ok", TimeSpan.FromSeconds(-1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("duration");
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}

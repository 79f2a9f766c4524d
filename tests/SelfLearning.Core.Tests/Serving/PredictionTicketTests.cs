using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Tests.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Serving;

/// <summary>A prediction as a ticket: serialised in one request, its outcome recorded from the deserialised copy in another.</summary>
public sealed class PredictionTicketTests
{
    [Fact]
    public async Task RecordOutcomeAsync_DeserialisedTicket_IsRecordedOnceByItsId()
    {
        using IHost host = await ServingTestHost.StartWithFirstChampionAsync("ticket-test");
        var serving = host.Services.GetRequiredService<IPredictionService>();

        // Request 1: predict and hand the ticket out as JSON.
        Prediction served = serving.Predict(LoopScenario.Model, "patient-42", score: 0.93);
        string ticket = JsonSerializer.Serialize(served);

        // Request 2: the ticket comes back with the label.
        Prediction restored = JsonSerializer.Deserialize<Prediction>(ticket);

        restored.Should().Be(served);
        restored.ModelVersion.Should().Be(1);
        restored.Value.Should().Be(double.NaN, "fields the task does not fill survive as NaN");
        (await serving.RecordOutcomeAsync(restored, correct: true)).Should().BeTrue();
        (await serving.RecordOutcomeAsync(served, correct: true)).Should().BeFalse("the same prediction id is counted once");
        await host.StopAsync();
    }

    [Fact]
    public void Constructor_FromFields_KeepsThemAndRefusesBadInput()
    {
        var id = Guid.NewGuid();
        var prediction = new Prediction(id, "triage", "unit-1", TaskKind.ScoreCalibration, 3, ExperimentArm.Challenger, "triage-v3");

        (prediction.Id, prediction.ModelName, prediction.UnitId, prediction.ModelVersion, prediction.Arm, prediction.InExperiment)
            .Should().Be((id, "triage", "unit-1", 3, ExperimentArm.Challenger, true));
        var noModel = () => new Prediction(id, null!, "unit-1", TaskKind.ScoreCalibration, 3, ExperimentArm.Champion, null);
        noModel.Should().Throw<ArgumentNullException>().WithParameterName("modelName");
        var negative = () => new Prediction(id, "triage", "unit-1", TaskKind.ScoreCalibration, -1, ExperimentArm.Champion, null);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("modelVersion").WithMessage("*-1*");
    }
}

using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingJobTransitionsTests
{
    // The table the issue specifies, written out independently of the implementation.
    private static readonly HashSet<(TrainingJobState, TrainingJobState)> Allowed =
    [
        (TrainingJobState.Queued, TrainingJobState.Running),
        (TrainingJobState.Queued, TrainingJobState.Cancelled),
        (TrainingJobState.Running, TrainingJobState.Paused),
        (TrainingJobState.Running, TrainingJobState.Completed),
        (TrainingJobState.Running, TrainingJobState.Failed),
        (TrainingJobState.Running, TrainingJobState.Cancelled),
        (TrainingJobState.Running, TrainingJobState.Queued),
        (TrainingJobState.Paused, TrainingJobState.Running),
        (TrainingJobState.Paused, TrainingJobState.Failed),
        (TrainingJobState.Paused, TrainingJobState.Cancelled),
        (TrainingJobState.Paused, TrainingJobState.Queued),
    ];

    public static TheoryData<TrainingJobState, TrainingJobState> AllPairs()
    {
        var data = new TheoryData<TrainingJobState, TrainingJobState>();
        foreach (var from in Enum.GetValues<TrainingJobState>())
        {
            foreach (var to in Enum.GetValues<TrainingJobState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_EveryPairOfStates_MatchesTheSpecifiedTable(TrainingJobState from, TrainingJobState to)
    {
        TrainingJobTransitions.IsAllowed(from, to).Should().Be(Allowed.Contains((from, to)));
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void TransitionTo_EveryPairOfStates_MovesOrRefusesWithClearError(TrainingJobState from, TrainingJobState to)
    {
        var job = new TrainingJob { Id = "job-1", ModelKey = "m", ModelType = "t", State = from };
        var at = TrainingTestData.Start;

        var act = () => job.TransitionTo(to, at);

        if (Allowed.Contains((from, to)))
        {
            var moved = act();
            moved.State.Should().Be(to);
            moved.UpdatedAt.Should().Be(at);
            moved.FinishedAt.Should().Be(TrainingJobTransitions.IsTerminal(to) ? at : null);
        }
        else
        {
            act.Should().Throw<InvalidOperationException>()
                .WithMessage($"Training job 'job-1' cannot move from {from} to {to}*");
        }
    }

    [Fact]
    public void IsTerminal_TerminalStates_AreExactlyCompletedFailedCancelled()
    {
        Enum.GetValues<TrainingJobState>().Where(TrainingJobTransitions.IsTerminal).Should()
            .BeEquivalentTo([TrainingJobState.Completed, TrainingJobState.Failed, TrainingJobState.Cancelled]);
    }
}

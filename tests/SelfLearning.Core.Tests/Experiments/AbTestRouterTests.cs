using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class AbTestRouterTests
{
    private const int Units = 50_000;
    private readonly AbTestRouter _router = new();

    [Fact]
    public void Assign_RampFrom5To50Percent_KeepsEveryChallengerUnitInChallenger()
    {
        Experiment canary = ExperimentFixtures.Running();
        Experiment half = canary.RampUp(ExperimentFixtures.Epoch.AddDays(1)).RampUp(ExperimentFixtures.Epoch.AddDays(2));
        half.ChallengerShare.Should().Be(0.5);

        int challengers = 0;
        for (int i = 0; i < Units; i++)
        {
            string unit = "patient-" + i;
            Assignment before = _router.Assign(canary, unit);
            Assignment after = _router.Assign(half, unit);
            if (before.InExperiment)
            {
                after.Arm.Should().Be(before.Arm, "unit {0} was in the experiment at 5%", unit);
                after.InExperiment.Should().BeTrue();
            }

            if (before.Arm == ExperimentArm.Challenger)
            {
                challengers++;
            }

            after.InExperiment.Should().BeTrue("at 50% every unit is in one of the arms");
        }

        challengers.Should().BeGreaterThan(2_000, "about 5% of the 50,000 units are challengers at the canary step");
    }

    [Theory]
    [InlineData(0, 0.05)]
    [InlineData(1, 0.25)]
    [InlineData(2, 0.5)]
    public void Assign_AtEachRampStep_SplitsTrafficByTheShare(int step, double share)
    {
        Experiment experiment = ExperimentFixtures.Running();
        for (int s = 0; s < step; s++)
        {
            experiment = experiment.RampUp(ExperimentFixtures.Epoch);
        }

        int champion = 0, challenger = 0;
        for (int i = 0; i < Units; i++)
        {
            Assignment a = _router.Assign(experiment, "u" + i);
            if (!a.InExperiment)
            {
                a.ModelVersion.Should().Be(1);
                continue;
            }

            if (a.Arm == ExperimentArm.Champion)
            {
                champion++;
                a.ModelVersion.Should().Be(1);
            }
            else
            {
                challenger++;
                a.ModelVersion.Should().Be(2);
            }
        }

        // Binomial standard error of a share s over n units is sqrt(s(1-s)/n) ≤ 0.0023; allow 4 of them.
        double tolerance = 4 * Math.Sqrt(share * (1 - share) / Units);
        ((double)challenger / Units).Should().BeApproximately(share, tolerance);
        ((double)champion / Units).Should().BeApproximately(share, tolerance);
    }

    [Fact]
    public void Assign_SameUnitTwice_IsDeterministicAndMatchesGrowthBookHash()
    {
        Experiment experiment = ExperimentFixtures.Running();
        for (int i = 0; i < 1_000; i++)
        {
            string unit = "user-" + i;
            Assignment a = _router.Assign(experiment, unit);
            _router.Assign(experiment, unit).Should().Be(a);

            double bucket = BucketHash.Hash("triage-v2", unit, 2)!.Value;
            int variation = BucketHash.ChooseVariation(bucket, BucketHash.GetBucketRanges(2, 0.1, []));
            a.InExperiment.Should().Be(variation >= 0);
            if (variation >= 0)
            {
                a.Arm.Should().Be((ExperimentArm)variation);
            }
        }
    }

    [Fact]
    public void Assign_NonOverlappingNamespaceSlices_NeverShareAUnit()
    {
        Experiment left = Experiment.Start(
            ExperimentFixtures.Definition("left") with { Namespace = new ExperimentNamespace("triage-models", 0.0, 0.5) },
            ExperimentFixtures.Epoch).RampUp(ExperimentFixtures.Epoch).RampUp(ExperimentFixtures.Epoch);
        Experiment right = Experiment.Start(
            ExperimentFixtures.Definition("right") with { Namespace = new ExperimentNamespace("triage-models", 0.5, 1.0) },
            ExperimentFixtures.Epoch).RampUp(ExperimentFixtures.Epoch).RampUp(ExperimentFixtures.Epoch);

        int inLeft = 0, inRight = 0;
        for (int i = 0; i < 10_000; i++)
        {
            bool l = _router.Assign(left, "u" + i).InExperiment;
            bool r = _router.Assign(right, "u" + i).InExperiment;
            (l && r).Should().BeFalse();
            inLeft += l ? 1 : 0;
            inRight += r ? 1 : 0;
        }

        inLeft.Should().BeInRange(4_500, 5_500);
        inRight.Should().BeInRange(4_500, 5_500);
    }

    [Fact]
    public void Assign_ShadowMode_ServesChampionAndNamesChallengerToScore()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Mode = ExperimentMode.Shadow });
        int shadowed = 0;
        for (int i = 0; i < 2_000; i++)
        {
            Assignment a = _router.Assign(experiment, "u" + i);
            a.ModelVersion.Should().Be(1);
            a.Arm.Should().Be(ExperimentArm.Champion);
            a.ShadowModelVersion.Should().Be(a.InExperiment ? 2 : null);
            shadowed += a.InExperiment ? 1 : 0;
        }

        shadowed.Should().BeInRange(100, 300, "10% of units (both arms' ranges at the 5% step) are shadow-scored");
    }

    [Fact]
    public void Assign_AfterConclusion_RoutesEveryoneToTheWinnerOutsideTheExperiment()
    {
        Experiment running = ExperimentFixtures.Running();
        Experiment promoted = running.Conclude(ExperimentStatus.Promoted, ExperimentFixtures.Epoch);
        Experiment rolledBack = running.Conclude(ExperimentStatus.RolledBack, ExperimentFixtures.Epoch);

        for (int i = 0; i < 100; i++)
        {
            _router.Assign(promoted, "u" + i).Should().Be(new Assignment(ExperimentArm.Challenger, 2, false, null));
            _router.Assign(rolledBack, "u" + i).Should().Be(new Assignment(ExperimentArm.Champion, 1, false, null));
        }
    }

    [Fact]
    public void Assign_HashVersion1_UsesGrowthBookVersion1Hash()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { HashVersion = 1, Seed = "s1" });
        for (int i = 0; i < 1_000; i++)
        {
            double bucket = BucketHash.Hash("s1", "u" + i, 1)!.Value;
            _router.Assign(experiment, "u" + i).InExperiment.Should().Be(bucket < 0.05 || (bucket >= 0.5 && bucket < 0.55));
        }
    }

    [Fact]
    public void Assign_AllocatesNothing()
    {
        Experiment experiment = ExperimentFixtures.Running(
            ExperimentFixtures.Definition() with { Namespace = new ExperimentNamespace("ns", 0.0, 0.7) });
        string[] units = Enumerable.Range(0, 1_000).Select(i => "unit-" + i).ToArray();
        int warmUp = 0;
        foreach (string unit in units)
        {
            warmUp += (int)_router.Assign(experiment, unit).Arm;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int challengers = 0;
        for (int round = 0; round < 100; round++)
        {
            foreach (string unit in units)
            {
                challengers += (int)_router.Assign(experiment, unit).Arm;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        challengers.Should().Be(100 * warmUp);
    }

    [Fact]
    public void Assign_ManyThreads_AgreeWithSingleThreadedAnswers()
    {
        Experiment experiment = ExperimentFixtures.Running();
        Assignment[] expected = Enumerable.Range(0, 5_000).Select(i => _router.Assign(experiment, "u" + i)).ToArray();
        var mismatches = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < expected.Length; i++)
            {
                if (_router.Assign(experiment, "u" + i) != expected[i])
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        mismatches.Should().Be(0);
    }

    [Fact]
    public void Assign_Null_ThrowsNamingArgument()
    {
        FluentActions.Invoking(() => _router.Assign(null!, "u")).Should().Throw<ArgumentNullException>().WithParameterName("experiment");
        FluentActions.Invoking(() => _router.Assign(ExperimentFixtures.Running(), null!)).Should().Throw<ArgumentNullException>().WithParameterName("unitId");
    }
}

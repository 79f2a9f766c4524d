using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class KMeansTrainerTests
{
    [Theory]
    [InlineData("blobs3")]
    [InlineData("overlapping4")]
    [InlineData("iris")]
    [InlineData("empty-cluster")]
    public void Lloyd_FromScikitLearnsInitialCenters_AgreesOnInertiaCentersAndSilhouette(string name)
    {
        var reference = TrainingReference.Case("kmeans", name);
        var z = reference.Rows("z");

        var fit = KMeansTrainer.Lloyd(z, reference.Rows("init"), 300);

        fit.Converged.Should().BeTrue();
        fit.Labels.Should().Equal(reference.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()));
        fit.Inertia.Should().BeApproximately(reference.GetProperty("inertia").GetDouble(), 1e-6 * reference.GetProperty("inertia").GetDouble());
        var expectedCenters = reference.Rows("centers");
        for (int c = 0; c < expectedCenters.Length; c++)
        {
            TrainingReference.ShouldAgree(fit.Centers[c], expectedCenters[c]);
        }

        double silhouette = KMeansTrainer.Silhouette(z, fit.Labels);
        silhouette.Should().BeApproximately(reference.GetProperty("silhouette").GetDouble(), 1e-6 * reference.GetProperty("silhouette").GetDouble());
    }

    [Theory]
    [InlineData("overlapping4")]
    [InlineData("iris")]
    [InlineData("empty-cluster")]
    public void Lloyd_256BitAnd512BitScoring_GiveTheSameBits(string name)
    {
        var reference = TrainingReference.Case("kmeans", name);
        var z = reference.Rows("z");

        var wide = KMeansTrainer.Lloyd(z, reference.Rows("init"), 300, wide: true);
        var narrow = KMeansTrainer.Lloyd(z, reference.Rows("init"), 300, wide: false);

        narrow.Labels.Should().Equal(wide.Labels);
        narrow.Inertia.Should().Be(wide.Inertia);
        narrow.Iterations.Should().Be(wide.Iterations);
        for (int c = 0; c < wide.Centers.Length; c++)
        {
            narrow.Centers[c].Should().Equal(wide.Centers[c]);
        }
    }

    [Fact]
    public void Lloyd_RunningClusterSums_EndAtTheMeansOfTheFinalLabels()
    {
        // 2,003 rows (not a whole number of 8-row panels) and 13 overlapping clusters (a group of eight centres, one of
        // four and a single one in the scoring kernel): many rows change cluster over the iterations, and only those
        // rows' contributions are moved; the converged centres must still be the means of the final labels.
        const int k = 13;
        var rng = TrainingReference.Rng(21);
        var points = Enumerable.Range(0, 2_003).Select(i => new[] { (i % 5) + (2 * rng.Normal()), (i % 3) + rng.Normal(), rng.Normal() }).ToArray();
        var init = points.Take(k).Select(p => (double[])p.Clone()).ToArray();

        var fit = KMeansTrainer.Lloyd(points, init, 300);
        var narrow = KMeansTrainer.Lloyd(points, init, 300, wide: false);

        fit.Converged.Should().BeTrue();
        fit.Iterations.Should().BeGreaterThan(5);
        narrow.Labels.Should().Equal(fit.Labels);
        narrow.Inertia.Should().Be(fit.Inertia);
        double inertia = 0.0;
        for (int c = 0; c < k; c++)
        {
            var members = points.Where((_, i) => fit.Labels[i] == c).ToArray();
            members.Should().NotBeEmpty();
            var mean = Enumerable.Range(0, 3).Select(j => members.Average(m => m[j])).ToArray();
            TrainingReference.ShouldAgree(fit.Centers[c], mean, 1e-12, 1e-12);
            narrow.Centers[c].Should().Equal(fit.Centers[c]);
        }

        for (int i = 0; i < points.Length; i++)
        {
            var own = fit.Centers[fit.Labels[i]];
            inertia += Enumerable.Range(0, 3).Sum(j => (points[i][j] - own[j]) * (points[i][j] - own[j]));
            int nearest = Enumerable.Range(0, k).MinBy(c => Enumerable.Range(0, 3).Sum(j => (points[i][j] - fit.Centers[c][j]) * (points[i][j] - fit.Centers[c][j])));
            fit.Labels[i].Should().Be(nearest, "row {0} is labelled with its nearest centre", i);
        }

        fit.Inertia.Should().BeApproximately(inertia, 1e-12 * inertia);
    }

    [Fact]
    public async Task Train_HeldOutSegmentsWithKnownStructure_BeatsRandomAssignmentBaseline()
    {
        // Known structure: three customer segments, well separated Gaussian blobs in (spend, visits).
        var data = new TrainingData(Generate(300, 1), Generate(150, 2));

        var result = await new KMeansTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 7), CancellationToken.None);

        var model = (IClusteringPredictor)PredictorLoader.Load(result.Artifact);
        var validation = Enumerable.Range(0, data.Validation.RowCount).Select(i => data.Validation.GetFeatures(i).ToArray()).ToArray();
        var rng = TrainingReference.Rng(3);
        var scaled = StandardisedLike(validation, data.Training);
        double randomSilhouette = KMeansTrainer.Silhouette(scaled, validation.Select(_ => rng.Next(3)).ToArray());
        result.ValidationMetrics[TrainingMetrics.Silhouette].Should().BeGreaterThan(0.6).And.BeGreaterThan(randomSilhouette + 0.5);
        result.ValidationMetrics[TrainingMetrics.Converged].Should().Be(1);
        model.ClusterCount.Should().Be(3);
        validation.Take(50).Select(v => model.Assign(v)).Distinct().Should().HaveCount(1, "the first fifty validation points come from one segment");
    }

    [Fact]
    public async Task Train_SameSeedTwice_GivesByteIdenticalArtifact()
    {
        var data = new TrainingData(Generate(120, 3), Generate(60, 4));
        var trainer = new KMeansTrainer();
        var parameters = TrainingParameters.Empty.With("k", 4);

        var first = await trainer.TrainAsync(new TrainingContext(data, parameters, 11), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, parameters, 11), CancellationToken.None);

        first.Artifact.Content.ToArray().Should().Equal(second.Artifact.Content.ToArray());
        first.Parameters["k"].Should().Be("4");
    }

    [Fact]
    public async Task Train_FewerRowsThanClusters_ThrowsNamingTheContext()
    {
        var data = new TrainingData(Generate(3, 5), Generate(3, 6));
        var act = () => new KMeansTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("k", 5), 0), CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("context").WithMessage("*fewer than k = 5*");
    }

    [Fact]
    public async Task Train_InitialCentersParameter_StartsFromThemAsScikitLearnDoes()
    {
        // Iris, already standardised by the generator, so the trainer's own standardisation is the identity to rounding.
        var reference = TrainingReference.Case("kmeans", "iris");
        var z = reference.Rows("z");
        string initial = string.Join(";", reference.Rows("init").Select(c => string.Join(",", c.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var table = TrainingTable.ForClustering(TrainingReference.ToMatrix(z));
        var parameters = TrainingParameters.Empty.With(KMeansTrainer.InitialCentersParameter, initial);

        var result = await new KMeansTrainer().TrainAsync(new TrainingContext(new TrainingData(table, table), parameters, 0), CancellationToken.None);

        var model = KMeansModel.Load(result.Artifact);
        var expected = reference.Rows("centers");
        model.ClusterCount.Should().Be(3);
        for (int c = 0; c < expected.Length; c++)
        {
            TrainingReference.ShouldAgree(model.Centers[c], expected[c], 1e-6, 1e-8);
        }

        result.ValidationMetrics["training_inertia"].Should().BeApproximately(reference.GetProperty("inertia").GetDouble(), 1e-6 * reference.GetProperty("inertia").GetDouble());
        result.Parameters[KMeansTrainer.RestartsParameter].Should().Be("1");
        result.Parameters[KMeansTrainer.InitialCentersParameter].Should().Be(initial);
    }

    [Theory]
    [InlineData("0,0;1", null, null, "initial_centers", "*centre 1 has 1 values*")]
    [InlineData("0,0;1,x", null, null, "initial_centers", "*centre 1, value 1 must be a finite number, but is 'x'*")]
    [InlineData("0,0;1,1", 3, null, "initial_centers", "*holds 2 centres but k = 3*")]
    [InlineData("0,0;1,1", null, 2, "restarts", "*'restarts' is 2*")]
    public async Task Train_BadInitialCenters_ThrowsNamingTheParameter(string centres, int? k, int? restarts, string parameter, string message)
    {
        var data = new TrainingData(Generate(30, 8), Generate(10, 9));
        var parameters = TrainingParameters.Empty.With(KMeansTrainer.InitialCentersParameter, centres);
        parameters = k is null ? parameters : parameters.With(KMeansTrainer.KParameter, k.Value);
        parameters = restarts is null ? parameters : parameters.With(KMeansTrainer.RestartsParameter, restarts.Value);

        var act = () => new KMeansTrainer().TrainAsync(new TrainingContext(data, parameters, 0), CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName(parameter).WithMessage(message);
    }

    [Fact]
    public void SeedPlusPlus_SameSeed_PicksTheSameDataPoints()
    {
        var points = Enumerable.Range(0, 50).Select(i => new[] { i % 7 * 1.0, i / 7 * 1.0 }).ToArray();

        var a = KMeansTrainer.SeedPlusPlus(points, 4, new MathNet.Numerics.Random.MersenneTwister(9));
        var b = KMeansTrainer.SeedPlusPlus(points, 4, new MathNet.Numerics.Random.MersenneTwister(9));

        a.Should().BeEquivalentTo(b, o => o.WithStrictOrdering());
        a.Should().OnlyContain(c => points.Any(p => p.SequenceEqual(c)));
        a.Select(c => (c[0], c[1])).Should().OnlyHaveUniqueItems();
    }

    private static double[][] StandardisedLike(double[][] rows, TrainingTable training)
    {
        int d = rows[0].Length;
        var train = Enumerable.Range(0, training.RowCount).Select(i => training.GetFeatures(i).ToArray()).ToArray();
        var means = Enumerable.Range(0, d).Select(j => train.Average(r => r[j])).ToArray();
        var sds = Enumerable.Range(0, d).Select(j => Math.Sqrt(train.Average(r => (r[j] - means[j]) * (r[j] - means[j])))).ToArray();
        return rows.Select(r => r.Select((v, j) => (v - means[j]) / sds[j]).ToArray()).ToArray();
    }

    private static TrainingTable Generate(int n, int seed)
    {
        var rng = TrainingReference.Rng(seed);
        double[][] centers = [[20, 2], [80, 10], [150, 4]];
        var x = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            var center = centers[i * 3 / n];
            x[i, 0] = center[0] + (5 * rng.Normal());
            x[i, 1] = center[1] + (0.8 * rng.Normal());
        }

        return TrainingTable.ForClustering(x);
    }
}

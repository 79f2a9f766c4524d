using Microsoft.Data.Sqlite;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Tests.Cases;

namespace SelfLearning.Sqlite.Tests.Cases;

public sealed class SqliteCaseSourceTests : CaseSourceContractTests
{
    private readonly TemporaryDirectory _directory = new();

    private string DatabasePath => _directory.File("cases.db");

    [Fact]
    public async Task ReadValidatedAfterAsync_Always_ReturnsCasesInWatermarkOrderThenByReviewer()
    {
        List<FeedbackCase> cases =
        [
            .. CaseTestData.Many(300, seed: 11),
            CaseTestData.Case("\U0001F600", validatedAt: Instant, reviewer: "rev-2"),
            CaseTestData.Case("\uFF21", validatedAt: Instant),
            CaseTestData.Case("\U0001F600", validatedAt: Instant, reviewer: "rev-1"),
        ];
        var source = await CreateAsync(cases);

        List<FeedbackCase> read = await ReadAllAsync(source, CaseWatermark.Start);

        read.Should().HaveCount(cases.Count);
        read.Select(c => (Key(c), c.ReviewerId)).Should().BeInAscendingOrder(
            Comparer<(CaseWatermark Key, string? Reviewer)>.Create((x, y) =>
            {
                int byKey = x.Key.CompareTo(y.Key);
                return byKey != 0 ? byKey : string.CompareOrdinal(x.Reviewer, y.Reviewer);
            }));
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_KeysetQueryAndCount_WalkTheWatermarkIndexWithoutSorting()
    {
        var source = await CreateAsync(CaseTestData.Many(50).ToList());
        using var connection = new SqliteConnection($"Data Source={source.DatabasePath}");
        connection.Open();

        foreach (string sql in new[] { CaseRows.SelectAfter, CaseRows.CountAfter })
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach ((string name, object? value) in CaseRows.WatermarkParameters(new CaseWatermark(CaseTestData.Now, "x")))
            {
                command.Parameters.AddWithValue(name, value);
            }

            var plan = new List<string>();
            using (SqliteDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            string.Join("; ", plan).Should().Contain("selflearning_feedback_cases_watermark").And.Contain("(watermark_at,id_key)>(?,?)").And.NotContain("TEMP B-TREE");
        }
    }

    [Fact]
    public async Task AppendAsync_AfterReopeningTheFileAndFromFourInstancesAtOnce_StoresEachIdOnce()
    {
        var first = new SqliteCaseSource(DatabasePath);
        (await first.AppendAsync(CaseTestData.Case("prediction-1", validatedAt: Instant))).Should().BeTrue();

        // A restart: a new instance on the same file still finds the case, although the retry has a later validation time.
        var reopened = new SqliteCaseSource(DatabasePath);
        (await reopened.AppendAsync(CaseTestData.Case("prediction-1", validatedAt: Instant.AddHours(1)))).Should().BeFalse();

        // Four instances (as four hosts on one file) deliver the same 50 outcomes at once: each is stored by exactly one.
        SqliteCaseSource[] instances = [.. Enumerable.Range(0, 4).Select(_ => new SqliteCaseSource(DatabasePath))];
        bool[][] stored = await Task.WhenAll(instances.Select((instance, n) => Task.Run(async () =>
        {
            var results = new bool[50];
            for (int i = 0; i < results.Length; i++)
            {
                string id = "outcome-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                results[i] = await instance.AppendAsync(CaseTestData.Case(id, validatedAt: Instant.AddMinutes(n)));
            }

            return results;
        })));

        for (int i = 0; i < 50; i++)
        {
            stored.Count(r => r[i]).Should().Be(1, "outcome {0} is appended by one instance", i);
        }

        (await first.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(51);
    }

    [Fact]
    public async Task AppendAsync_ExistenceCheck_SearchesTheIdIndex()
    {
        var source = await CreateAsync(CaseTestData.Many(50).ToList());
        using var connection = new SqliteConnection($"Data Source={source.DatabasePath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + CaseRows.Exists;
        command.Parameters.AddWithValue("$key", SelfLearning.Cases.OrdinalKeys.From("x"));
        var plan = new List<string>();
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        string.Join("; ", plan).Should().Contain("USING COVERING INDEX selflearning_feedback_cases_id (id_key=?)");
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_HundredThousandCases_KeepsNoCaseItHasHandedOver()
    {
        // Streaming means the source holds the current row, not the cases read so far. Whether it does is asked of the
        // cases themselves (weak references to the first thousand, checked after a full collection 50,000 cases later),
        // not of the process's heap size, which test classes running in parallel change at will.
        const int Count = 100_000;
        var source = new SqliteCaseSource(DatabasePath);
        await source.AddRangeAsync(CaseTestData.Many(Count, seed: 5));
        var early = new List<WeakReference<FeedbackCase>>(1_000);
        int read = 0;
        int[] stillAlive = [];

        await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(CaseWatermark.Start))
        {
            feedbackCase.Id.Should().NotBeEmpty();
            if (read < 1_000)
            {
                early.Add(new WeakReference<FeedbackCase>(feedbackCase));
            }
            else if (read == 50_000)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                stillAlive = [.. Enumerable.Range(0, early.Count).Where(i => early[i].TryGetTarget(out _))];
            }

            read++;
        }

        read.Should().Be(Count);
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(Count);
        early.Should().HaveCount(1_000);
        // The last few may still be referenced from the async loop's own hoisted temporaries in a Debug build.
        stillAlive.Should().OnlyContain(i => i >= 990, "no case handed over 49,000 rows earlier may still be held by the source");
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_CancelledAfterFiveCases_StopsThere()
    {
        var source = await CreateAsync(CaseTestData.Many(2_000).ToList());
        using var cancellation = new CancellationTokenSource();
        int read = 0;

        Func<Task> enumerate = async () =>
        {
            await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(CaseWatermark.Start, cancellation.Token))
            {
                if (++read == 5)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await enumerate.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(5);
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_CaseCommittedDuringARead_AppearsInTheNextReadOnly()
    {
        var writer = await CreateAsync(CaseTestData.Many(20).ToList());
        var reader = new SqliteCaseSource(DatabasePath);
        var seen = new List<string>();

        await foreach (FeedbackCase feedbackCase in reader.ReadValidatedAfterAsync(CaseWatermark.Start))
        {
            if (seen.Count == 0)
            {
                // Validated after every case already stored, so without a snapshot it would be read at the end.
                await writer.AddAsync(CaseTestData.Case("late", validatedAt: CaseTestData.Now));
            }

            seen.Add(feedbackCase.Id);
        }

        seen.Should().HaveCount(20).And.NotContain("late");
        (await ReadAllAsync(reader, CaseWatermark.Start)).Select(c => c.Id).Should().HaveCount(21).And.EndWith("late");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AddAsync_NullOrEmptyId_ThrowsNamingTheArgument(string? id)
    {
        var source = new SqliteCaseSource(DatabasePath);

        Func<Task> add = async () => await source.AddAsync(CaseTestData.Case("x") with { Id = id! });
        Func<Task> addNull = async () => await source.AddAsync(null!);

        (await add.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("feedbackCase");
        (await addNull.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("feedbackCase");
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(0);
    }

    [Fact]
    public async Task AddRangeAsync_InvalidCaseInTheBatch_StoresNothingAndNamesItsIndex()
    {
        var source = await CreateAsync([CaseTestData.Case("before")]);
        List<FeedbackCase> emptyIdAtThree = [.. CaseTestData.Many(3), CaseTestData.Case("x") with { Id = string.Empty }, .. CaseTestData.Many(2, seed: 9)];
        List<FeedbackCase> nullAtOne = [CaseTestData.Case("y"), null!];

        Func<Task> addEmptyId = async () => await source.AddRangeAsync(emptyIdAtThree);
        Func<Task> addNull = async () => await source.AddRangeAsync(nullAtOne);
        Func<Task> addNullBatch = async () => await source.AddRangeAsync(null!);

        (await addEmptyId.Should().ThrowAsync<ArgumentException>().WithMessage("*index 3*")).Which.ParamName.Should().Be("feedbackCases");
        (await addNull.Should().ThrowAsync<ArgumentException>().WithMessage("*index 1*")).Which.ParamName.Should().Be("feedbackCases");
        (await addNullBatch.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("feedbackCases");
        (await ReadAllAsync(source, CaseWatermark.Start)).Select(c => c.Id).Should().Equal("before");
    }

    [Fact]
    public async Task AddRangeAsync_CancelledMidBatch_StoresNothing()
    {
        var source = new SqliteCaseSource(DatabasePath);
        using var cancellation = new CancellationTokenSource();

        IEnumerable<FeedbackCase> CancelAfterThree()
        {
            foreach (FeedbackCase feedbackCase in CaseTestData.Many(10))
            {
                yield return feedbackCase;
                if (feedbackCase.Id == "case-000002")
                {
                    cancellation.Cancel();
                }
            }
        }

        Func<Task> add = async () => await source.AddRangeAsync(CancelAfterThree(), cancellation.Token);

        await add.Should().ThrowAsync<OperationCanceledException>();
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(0, "three rows were written inside the transaction, which rolled back");
    }

    [Fact]
    public async Task AddAsync_SameReviewSentAgain_ReplacesItsRow()
    {
        var source = new SqliteCaseSource(DatabasePath);
        FeedbackCase review = CaseTestData.Case("case-1", "flu", Instant, "rev-1");
        FeedbackCase corrected = review with { ValidatedLabel = "cold", FreeText = "corrected", ValidatedAt = Instant.ToOffset(TimeSpan.FromHours(2)) };

        await source.AddAsync(review);
        await source.AddAsync(corrected);

        (await ReadAllAsync(source, CaseWatermark.Start)).Select(Describe).Should().Equal(Describe(corrected));
    }

    [Fact]
    public async Task CollectSnapshotAsync_OnSqliteAndInMemorySources_GivesTheSameDataset()
    {
        List<FeedbackCase> cases =
        [
            .. CaseTestData.Many(400, seed: 21),
            CaseTestData.Case("case-000010", "covid", CaseTestData.Now.AddMinutes(-1), "rev-2"),
            CaseTestData.Case("case-000011", "cold", CaseTestData.Now.AddMinutes(-1), "rev-2"),
            CaseTestData.Case("case-000011", "flu", CaseTestData.Now.AddMinutes(-1), "rev-3"),
            MalformedCase(),
            SparseCase(),
            FullCase(),
        ];
        var sqlite = await CreateAsync(cases);
        var memory = new InMemoryCaseSource(cases.AsEnumerable().Reverse());

        CaseCollectionResult fromSqlite = await CaseTestData.Collector(sqlite).CollectSnapshotAsync(CaseWatermark.Start);
        CaseCollectionResult fromMemory = await CaseTestData.Collector(memory).CollectSnapshotAsync(CaseWatermark.Start);

        fromSqlite.Snapshot!.Cases.Should().HaveCountGreaterThan(350);
        fromSqlite.Snapshot.Version.Should().Be(fromMemory.Snapshot!.Version);
        fromSqlite.Watermark.Should().Be(fromMemory.Watermark);

        // The mean quality is a sum in read order, and the two sources read in different orders: it may differ in the last bit.
        fromSqlite.Statistics.Should().BeEquivalentTo(
            fromMemory.Statistics,
            o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        fromSqlite.CasesNeedingReview.Should().Equal(fromMemory.CasesNeedingReview).And.Contain("case-000011");
    }

    [Fact]
    public async Task Reopen_AfterRestart_KeepsEveryCaseAndAppliesTheMigrationOnce()
    {
        List<FeedbackCase> cases = [.. CaseTestData.Many(100), FullCase(), SparseCase(), MalformedCase()];
        await CreateAsync(cases);
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteCaseSource(DatabasePath);

        (await ReadAllAsync(reopened, CaseWatermark.Start)).Select(Describe).Should().BeEquivalentTo(cases.Select(Describe));
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM selflearning_schema_migrations WHERE id LIKE 'cases-%';";
        ((long)command.ExecuteScalar()!).Should().Be(CaseMigrations.All.Count, "each step once");
    }

    [Fact]
    public async Task AddAsync_TwoInstancesOnOneFileFromManyThreads_EachSeesTheOthersCommits()
    {
        const int Workers = 8, PerWorker = 20;
        var first = new SqliteCaseSource(DatabasePath);
        var second = new SqliteCaseSource(DatabasePath);

        await first.AddAsync(CaseTestData.Case("from-first"));
        (await ReadAllAsync(second, CaseWatermark.Start)).Select(c => c.Id).Should().Equal("from-first");
        await second.AddRangeAsync([CaseTestData.Case("from-second")]);
        (await first.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(2);

        await Parallel.ForAsync(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (worker, ct) =>
        {
            SqliteCaseSource source = worker % 2 == 0 ? first : second;
            for (int i = 0; i < PerWorker; i++)
            {
                await source.AddAsync(CaseTestData.Case($"w{worker}-{i}", validatedAt: Instant.AddSeconds(i)), ct);
            }
        });

        (await first.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(2 + (Workers * PerWorker));
        (await ReadAllAsync(second, CaseWatermark.Start)).Select(c => c.Id).Distinct().Should().HaveCount(2 + (Workers * PerWorker));
    }

    [Fact]
    public async Task Constructor_FileSharedWithTheOtherStores_KeepsEveryStoresSchema()
    {
        _ = new SqliteModelRegistry(DatabasePath);
        _ = new SqliteExperimentStore(DatabasePath);
        var source = await CreateAsync([FullCase()]);
        _ = new SqliteModelRegistry(DatabasePath);

        (await ReadAllAsync(source, CaseWatermark.Start)).Select(Describe).Should().Equal(Describe(FullCase()));
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(id, ',') FROM (SELECT id FROM selflearning_schema_migrations ORDER BY id);";
        ((string)command.ExecuteScalar()!).Should().Be("cases-0001-initial,cases-0002-id-index,experiments-0001-initial,experiments-0002-unit-fingerprints,experiments-0003-integer-versions,registry-0001-initial,registry-0002-typed-lineage");
    }

    protected override async ValueTask<ICaseSource> CreateSourceAsync(IReadOnlyList<FeedbackCase> cases) => await CreateAsync(cases);

    protected override ValueTask AddAsync(ICaseSource source, IReadOnlyList<FeedbackCase> cases) => ((SqliteCaseSource)source).AddRangeAsync(cases);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<SqliteCaseSource> CreateAsync(IReadOnlyList<FeedbackCase> cases)
    {
        var source = new SqliteCaseSource(DatabasePath);
        await source.AddRangeAsync(cases);
        return source;
    }
}

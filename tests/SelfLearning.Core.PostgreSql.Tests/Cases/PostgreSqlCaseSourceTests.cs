using Npgsql;
using SelfLearning.Cases;
using SelfLearning.Tests.Cases;

namespace SelfLearning.PostgreSql.Tests.Cases;

/// <summary>The case source contract on a real PostgreSQL server, plus what only a shared database can show.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlCaseSourceTests(PostgreSqlServer server) : CaseSourceContractTests
{
    private readonly List<PostgreSqlCaseSource> _sources = [];

    protected override async ValueTask<ICaseSource> CreateSourceAsync(IReadOnlyList<FeedbackCase> cases)
    {
        var source = new PostgreSqlCaseSource(await server.CreateDatabaseAsync());
        _sources.Add(source);
        await source.AddRangeAsync(cases);
        return source;
    }

    protected override ValueTask AddAsync(ICaseSource source, IReadOnlyList<FeedbackCase> cases) =>
        ((PostgreSqlCaseSource)source).AddRangeAsync(cases);

    protected override void Dispose(bool disposing)
    {
        foreach (PostgreSqlCaseSource source in _sources)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public async Task Constructor_ManyInstancesStartingTogether_MigrateTheSchemaOnce()
    {
        string database = await server.CreateDatabaseAsync();

        // Eight instances open the same empty database at once: the advisory lock lets one create the schema.
        PostgreSqlCaseSource[] sources = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new PostgreSqlCaseSource(database))));
        _sources.AddRange(sources);

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM selflearning.schema_migrations ORDER BY id;", connection);
        var ids = new List<string>();
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        ids.Should().Equal("cases-0001-initial");
    }

    [Fact]
    public async Task AppendAsync_SameIdFromManyInstancesAtOnce_StoresItOnce()
    {
        string database = await server.CreateDatabaseAsync();
        PostgreSqlCaseSource[] instances = [new(database), new(database), new(database), new(database)];
        _sources.AddRange(instances);
        DateTimeOffset at = new(2024, 5, 1, 9, 30, 0, TimeSpan.Zero);

        // 64 appends of 8 ids, spread over four instances (four pools), all started together.
        bool[] stored = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
            await instances[i % 4].AppendAsync(CaseTestData.Case("prediction-" + (i % 8), validatedAt: at.AddSeconds(i), reviewer: "rev-" + i)))));

        stored.Count(s => s).Should().Be(8, "each of the 8 ids is stored by exactly one append");
        (await instances[0].CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(8);
    }

    [Fact]
    public async Task AddRangeAsync_TextHoldingNul_ThrowsNamingTheFieldAndStoresNothing()
    {
        var source = (PostgreSqlCaseSource)await CreateSourceAsync([]);
        FeedbackCase good = CaseTestData.Case("good");
        FeedbackCase bad = CaseTestData.Case("bad") with { FreeText = "before\0after" };

        Func<Task> add = async () => await source.AddRangeAsync([good, bad]);

        (await add.Should().ThrowAsync<ArgumentException>()).WithParameterName("feedbackCases")
            .WithMessage("*index 1*FreeText*cannot store*nothing was stored*");
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(0, "the batch is one transaction");
    }

    [Fact]
    public async Task AddRangeAsync_MoreCasesThanOneRoundTrip_StoresThemAllInOrder()
    {
        List<FeedbackCase> cases = CaseTestData.Many(2_500, seed: 11).ToList();
        ICaseSource source = await CreateSourceAsync(cases);

        List<FeedbackCase> read = await ReadAllAsync(source, CaseWatermark.Start);

        read.Select(Describe).Should().BeEquivalentTo(cases.Select(Describe));
        read.Select(Key).Should().BeInAscendingOrder(Comparer<CaseWatermark>.Default, "cases come back in watermark order");
    }

    [Fact]
    public void Constructor_NoServerListening_FailsWithNpgsqlsReason()
    {
        var act = () => new PostgreSqlCaseSource("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2");

        act.Should().Throw<NpgsqlException>();
    }

    [Fact]
    public void Constructor_MalformedConnectionString_ThrowsNamingIt()
    {
        var act = () => new PostgreSqlCaseSource("Hots=nowhere;;=");

        act.Should().Throw<ArgumentException>().WithParameterName("connectionString");
    }
}

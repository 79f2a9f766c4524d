using System.Text;
using Microsoft.Data.Sqlite;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Privacy;
using SelfLearning.Tests.Experiments;

namespace SelfLearning.Sqlite.Tests.Migrations;

/// <summary>
/// Issue 12, points 4 and 6: a database written by the unprefixed schema (schema-v1.db, see its SOURCE.md) is brought
/// forward in place, its raw unit ids become keyed fingerprints, and names another application owns are either left
/// alone or refused with a message that says whose they are not.
/// </summary>
public sealed class SqliteSchemaMigrationTests : IDisposable
{
    private static readonly Pseudonymizer UnitKey = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly string[] LegacyTables =
    [
        "feedback_cases", "registry_models", "registry_versions", "registry_artifacts", "registry_aliases", "registry_transitions",
        "experiments", "experiment_units", "experiment_tallies", "experiment_predictions", "experiment_resolutions", "experiment_decisions",
        "training_jobs", "training_job_transitions",
    ];

    private readonly TemporaryDirectory _directory = new();

    private string DatabasePath => _directory.File("loop.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Open_DatabaseWrittenByTheUnprefixedSchema_MovesEveryTableForwardKeepingEveryRow()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Migrations", "schema-v1.db"), DatabasePath);
        var before = LegacyTables.ToDictionary(t => t, t => SqliteDatabaseFile.Count(DatabasePath, t));
        List<string> units = SqliteDatabaseFile.Strings(DatabasePath, "SELECT unit_id FROM experiment_units ORDER BY unit_id;");
        string champion = SqliteDatabaseFile.Strings(DatabasePath, "SELECT version FROM registry_versions WHERE stage = 2;").Single();
        units.Should().HaveCount(2383).And.OnlyContain(u => u.StartsWith("patient-", StringComparison.Ordinal), "the fixture holds raw unit ids");

        var registry = new SqliteModelRegistry(DatabasePath);
        var experiments = new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);
        var jobs = new SqliteTrainingJobStore(DatabasePath);
        var cases = new SqliteCaseSource(DatabasePath);

        SqliteDatabaseFile.Objects(DatabasePath).Should().OnlyContain(name => name.StartsWith("selflearning_", StringComparison.Ordinal));
        foreach (var (table, count) in before)
        {
            SqliteDatabaseFile.Count(DatabasePath, "selflearning_" + table).Should().Be(count, $"every row of {table} is kept");
        }

        SqliteDatabaseFile.Strings(DatabasePath, "SELECT id FROM selflearning_schema_migrations ORDER BY id;").Should().Equal(
            "cases-0001-initial", "cases-0002-id-index", "experiments-0001-initial", "experiments-0002-unit-fingerprints", "experiments-0003-integer-versions", "registry-0001-initial", "registry-0002-typed-lineage", "training-0001-initial");
        SqliteDatabaseFile.Scalar(DatabasePath, "PRAGMA integrity_check;").Should().Be("ok");
        SqliteDatabaseFile.Strings(DatabasePath, "PRAGMA foreign_key_check;").Should().BeEmpty();

        (await registry.GetChampionAsync("triage"))!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(champion);
        var oldChampion = (await registry.GetChampionAsync("triage"))!;
        oldChampion.Lineage.TrainingWatermark.Should().BeNull("the columns the typed-lineage migration adds are empty for rows written before it");
        SelfLearning.Training.TrainingWatermarks.Of(oldChampion).Should().NotBeNull("the loop still reads the watermark tag an earlier release wrote");
        SelfLearning.Monitoring.ReferenceScores.Of(oldChampion).Should().NotBeNullOrEmpty("and the drift reference tag");
        (await jobs.ListAsync()).Should().HaveCount((int)before["training_jobs"]);
        (await cases.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(before["feedback_cases"]);
        Experiment experiment = (await experiments.ListExperimentsAsync()).Single();
        (experiment.Definition.ChampionVersion, experiment.Definition.ChallengerVersion).Should().Be(
            (1, 3), "the definition stored its versions as text (\"1\", \"3\"); they are the registry's version numbers now");
        (await registry.GetAsync("triage", experiment.Definition.ChallengerVersion)).Should().NotBeNull("the number names the registry version");
        ExperimentTallies tallies = await experiments.GetTalliesAsync(experiment.Key);
        (tallies.ChampionExposures + tallies.ChallengerExposures).Should().Be(units.Count);
        SqliteDatabaseFile.Strings(DatabasePath, "SELECT unit_key FROM selflearning_experiment_units;").Should().BeEquivalentTo(
            units.Select(u => UnitKey.Pseudonymize(u, "experiment-unit:" + experiment.Key)),
            "each raw unit id became its keyed fingerprint, so a unit seen before is still recognised");
    }

    [Fact]
    public void Open_DatabaseWrittenByTheUnprefixedSchema_LeavesNoRawUnitIdInTheFile()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Migrations", "schema-v1.db"), DatabasePath);

        _ = new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);
        SqliteConnection.ClearAllPools();

        File.Exists(DatabasePath + "-wal").Should().BeFalse("the last connection checkpointed the journal into the file");
        SqliteDatabaseFile.Dump(DatabasePath).Should().NotContain("patient-");
        Encoding.UTF8.GetString(File.ReadAllBytes(DatabasePath)).Should().NotContain("patient-", "secure delete overwrote the dropped rows' pages");
    }

    [Fact]
    public void Open_MigratedDatabaseOpenedAgain_AppliesNothingTwice()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Migrations", "schema-v1.db"), DatabasePath);
        _ = new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);
        _ = new SqliteModelRegistry(DatabasePath);
        string fingerprints = string.Join(",", SqliteDatabaseFile.Strings(DatabasePath, "SELECT unit_key FROM selflearning_experiment_units ORDER BY unit_key;"));

        _ = new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);
        _ = new SqliteModelRegistry(DatabasePath);

        string.Join(",", SqliteDatabaseFile.Strings(DatabasePath, "SELECT unit_key FROM selflearning_experiment_units ORDER BY unit_key;")).Should().Be(fingerprints);
        SqliteDatabaseFile.Count(DatabasePath, "selflearning_schema_migrations").Should().Be(7);
    }

    [Fact]
    public async Task Open_FileWithAnotherApplicationsSchemaMigrationsAndExperimentsTables_LeavesThemAloneAndWorks()
    {
        // Rails' (and golang-migrate's) migration table and an application's own experiments table, as the issue found them.
        SqliteDatabaseFile.Execute(DatabasePath, """
            CREATE TABLE schema_migrations (version VARCHAR NOT NULL PRIMARY KEY);
            INSERT INTO schema_migrations (version) VALUES ('20240101000000');
            CREATE TABLE experiments (id INTEGER PRIMARY KEY, title TEXT);
            INSERT INTO experiments (title) VALUES ('their experiment');
            """);

        var store = new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);
        _ = new SqliteModelRegistry(DatabasePath);
        _ = new SqliteTrainingJobStore(DatabasePath);
        _ = new SqliteCaseSource(DatabasePath);
        await store.SaveExperimentAsync(ExperimentFixtures.Running());

        SqliteDatabaseFile.Scalar(DatabasePath, "SELECT version FROM schema_migrations;").Should().Be("20240101000000");
        SqliteDatabaseFile.Scalar(DatabasePath, "SELECT title FROM experiments;").Should().Be("their experiment");
        (await store.ListExperimentsAsync()).Should().ContainSingle();
    }

    [Fact]
    public void Open_ForeignTableHoldingAPrefixedName_FailsNamingTheTableAndTheCause()
    {
        SqliteDatabaseFile.Execute(DatabasePath, "CREATE TABLE selflearning_experiments (id INTEGER PRIMARY KEY);");

        var act = () => new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("table named 'selflearning_experiments'").And.Contain("SelfLearning did not create").And.Contain("experiments-0001-initial");
        SqliteDatabaseFile.Count(DatabasePath, "selflearning_experiments").Should().Be(0, "the foreign table is left as it was");
    }

    [Fact]
    public void Open_ForeignMigrationTableWithThePrefixedName_FailsNamingItsColumns()
    {
        SqliteDatabaseFile.Execute(DatabasePath, "CREATE TABLE selflearning_schema_migrations (version INTEGER NOT NULL, dirty INTEGER NOT NULL);");

        var act = () => new SqliteModelRegistry(DatabasePath);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("'selflearning_schema_migrations' that SelfLearning did not create").And.Contain("version, dirty");
    }

    [Fact]
    public void Open_LegacyDatabaseWhoseTargetNameIsTaken_FailsAndLeavesTheLegacyTablesUntouched()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Migrations", "schema-v1.db"), DatabasePath);
        SqliteDatabaseFile.Execute(DatabasePath, "CREATE TABLE selflearning_training_jobs (other TEXT);");

        var act = () => new SqliteTrainingJobStore(DatabasePath);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("'selflearning_training_jobs'").And.Contain("training-0001-initial");
        SqliteDatabaseFile.Count(DatabasePath, "experiment_units").Should().Be(2383, "the move is one transaction: nothing was renamed");
        SqliteDatabaseFile.Count(DatabasePath, "schema_migrations").Should().Be(4);
    }

    [Fact]
    public void Open_ExperimentWhoseVersionIsNotARegistryNumber_FailsNamingItAndKeepsItsDefinition()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Migrations", "schema-v1.db"), DatabasePath);
        SqliteDatabaseFile.Execute(
            DatabasePath, "UPDATE experiments SET definition = replace(definition, '\"ChallengerVersion\":\"3\"', '\"ChallengerVersion\":\"v3-candidate\"');");
        string stored = SqliteDatabaseFile.Strings(DatabasePath, "SELECT definition FROM experiments;").Single();
        stored.Should().Contain("v3-candidate");

        var act = () => new SqliteExperimentStore(DatabasePath, unitKey: UnitKey);

        act.Should().Throw<InvalidDataException>().Which.Message.Should()
            .Contain("'triage.v3'").And.Contain("ChallengerVersion 'v3-candidate'").And.Contain("experiments-0003-integer-versions");
        SqliteDatabaseFile.Strings(DatabasePath, "SELECT definition FROM selflearning_experiments;").Should().Equal(
            [stored], "the failed step wrote nothing: the definition is as it was");
        SqliteDatabaseFile.Strings(DatabasePath, "SELECT id FROM selflearning_schema_migrations WHERE id LIKE 'experiments-%' ORDER BY id;").Should().Equal(
            "experiments-0001-initial", "experiments-0002-unit-fingerprints");
    }
}

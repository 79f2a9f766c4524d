using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SelfLearning.Experiments;

namespace SelfLearning.Sqlite;

/// <summary>
/// The experiment store's schema steps, in order. Append new steps; never change what a shipped step creates. Every name carries the
/// <c>selflearning_</c> prefix; a database written before the prefix is moved onto these names by <see cref="LegacySchema"/>.
/// </summary>
internal static class ExperimentMigrations
{
    /// <summary>The steps; <paramref name="fingerprint"/> turns (experiment key, unit id) into the unit's stored keyed fingerprint.</summary>
    public static IReadOnlyList<SqliteMigration> All(Func<SqliteConnection, SqliteTransaction, Func<string, string, string>> fingerprint) =>
    [
        new("experiments-0001-initial", """
            CREATE TABLE selflearning_experiments (
                key TEXT NOT NULL PRIMARY KEY,
                definition TEXT NOT NULL,
                status INTEGER NOT NULL,
                ramp_step INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                step_started_at INTEGER NOT NULL,
                ended_at INTEGER,
                champion_units INTEGER NOT NULL DEFAULT 0,
                challenger_units INTEGER NOT NULL DEFAULT 0,
                expired_predictions INTEGER NOT NULL DEFAULT 0
            ) STRICT;

            -- One row per distinct exposed unit: the primary key is what makes a unit count once.
            CREATE TABLE selflearning_experiment_units (
                experiment_key TEXT NOT NULL REFERENCES selflearning_experiments (key),
                unit_id TEXT NOT NULL,
                arm INTEGER NOT NULL,
                PRIMARY KEY (experiment_key, unit_id)
            ) STRICT, WITHOUT ROWID;

            -- Running sums per series (0 champion, 1 challenger, 2-4 shadow pairs: champion, challenger, difference).
            CREATE TABLE selflearning_experiment_tallies (
                experiment_key TEXT NOT NULL REFERENCES selflearning_experiments (key),
                series INTEGER NOT NULL CHECK (series BETWEEN 0 AND 4),
                metric TEXT NOT NULL,
                n INTEGER NOT NULL,
                sum REAL NOT NULL,
                sum_squares REAL NOT NULL,
                PRIMARY KEY (experiment_key, series, metric)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE selflearning_experiment_predictions (
                prediction_id TEXT NOT NULL PRIMARY KEY,
                experiment_key TEXT NOT NULL REFERENCES selflearning_experiments (key),
                arm INTEGER NOT NULL,
                served_output TEXT,
                shadow_output TEXT,
                expires_at INTEGER NOT NULL
            ) STRICT;

            CREATE INDEX selflearning_experiment_predictions_expiry ON selflearning_experiment_predictions (expires_at);

            -- The metrics already resolved for a prediction: each is counted once.
            CREATE TABLE selflearning_experiment_resolutions (
                prediction_id TEXT NOT NULL REFERENCES selflearning_experiment_predictions (prediction_id) ON DELETE CASCADE,
                metric TEXT NOT NULL,
                PRIMARY KEY (prediction_id, metric)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE selflearning_experiment_decisions (
                experiment_key TEXT NOT NULL REFERENCES selflearning_experiments (key),
                sequence INTEGER NOT NULL,
                action INTEGER NOT NULL,
                decided_at INTEGER NOT NULL,
                ramp_step INTEGER NOT NULL,
                challenger_share REAL NOT NULL,
                reasons TEXT NOT NULL,
                analysis TEXT NOT NULL,
                PRIMARY KEY (experiment_key, sequence)
            ) STRICT;
            """),

        // Unit ids are often patient or account ids: keep only a keyed fingerprint of each (HMAC-SHA256, see
        // SqliteExperimentStore), never the id itself. Rows written by earlier versions are rewritten here.
        new(
            "experiments-0002-unit-fingerprints",
            """
            CREATE TABLE selflearning_store_keys (
                purpose TEXT NOT NULL PRIMARY KEY,
                key BLOB NOT NULL
            ) STRICT;

            CREATE TABLE selflearning_experiment_unit_keys (
                experiment_key TEXT NOT NULL REFERENCES selflearning_experiments (key),
                unit_key TEXT NOT NULL,
                arm INTEGER NOT NULL,
                PRIMARY KEY (experiment_key, unit_key)
            ) STRICT, WITHOUT ROWID;
            """,
            (c, t) => FingerprintUnits(c, t, fingerprint(c, t))),

        // An experiment's versions are the registry's version numbers (integers); earlier versions stored them as text.
        new("experiments-0003-integer-versions", string.Empty, NumberVersions),
    ];

    /// <summary>
    /// Rewrites each stored definition whose versions are text ("3") with the numbers (3). A version that is not a registry
    /// version number stops the migration, naming the experiment, and the transaction leaves the database as it was.
    /// </summary>
    private static void NumberVersions(SqliteConnection c, SqliteTransaction t)
    {
        var rewritten = new List<(string Key, string Definition)>();
        using (var command = SqliteDatabase.Command(c, t, "SELECT key, definition FROM selflearning_experiments;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string key = reader.GetString(0);
                JsonObject definition = JsonNode.Parse(reader.GetString(1)) as JsonObject
                    ?? throw new InvalidDataException($"Experiment '{key}' has a stored definition that is not a JSON object.");
                bool changed = false;
                foreach (string property in (string[])[nameof(ExperimentDefinition.ChampionVersion), nameof(ExperimentDefinition.ChallengerVersion)])
                {
                    if (definition[property] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        definition[property] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
                            ? number
                            : throw new InvalidDataException(
                                $"Experiment '{key}' has {property} '{text}', which is not a registry version number (a positive integer); " +
                                "since schema step experiments-0003-integer-versions an experiment compares two registry versions. Nothing of this step was written: " +
                                "delete that experiment's rows with the previous version of the package (or give it the registry's version numbers), then open the store again.");
                        changed = true;
                    }
                }

                if (changed)
                {
                    rewritten.Add((key, definition.ToJsonString()));
                }
            }
        }

        foreach (var (key, definition) in rewritten)
        {
            using var update = SqliteDatabase.Command(
                c, t, "UPDATE selflearning_experiments SET definition = $definition WHERE key = $key;", ("$definition", definition), ("$key", key));
            update.ExecuteNonQuery();
        }
    }

    /// <summary>Copies every stored unit as its fingerprint, drops the table of raw ids, and gives the new table its name.</summary>
    private static void FingerprintUnits(SqliteConnection c, SqliteTransaction t, Func<string, string, string> fingerprint)
    {
        var units = new List<(string Experiment, string Unit, long Arm)>();
        using (var command = SqliteDatabase.Command(c, t, "SELECT experiment_key, unit_id, arm FROM selflearning_experiment_units;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                units.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        using (var insert = SqliteDatabase.Command(
            c,
            t,
            "INSERT INTO selflearning_experiment_unit_keys (experiment_key, unit_key, arm) VALUES ($key, $unit, $arm) ON CONFLICT DO NOTHING;",
            ("$key", string.Empty),
            ("$unit", string.Empty),
            ("$arm", 0L)))
        {
            foreach (var (experiment, unit, arm) in units)
            {
                insert.Parameters["$key"].Value = experiment;
                insert.Parameters["$unit"].Value = fingerprint(experiment, unit);
                insert.Parameters["$arm"].Value = arm;
                insert.ExecuteNonQuery();
            }
        }

        SqliteDatabase.Execute(c, t, """
            DROP TABLE selflearning_experiment_units;
            ALTER TABLE selflearning_experiment_unit_keys RENAME TO selflearning_experiment_units;
            """);
    }
}

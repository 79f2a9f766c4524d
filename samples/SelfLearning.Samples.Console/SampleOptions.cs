using System.Globalization;

namespace SelfLearning.Samples.Triage;

/// <summary>The sample's command line: how many weeks to simulate, the seed, and where the database and the report go.</summary>
internal sealed record SampleOptions
{
    public const int DefaultWeeks = 10;
    public const int DefaultSeed = 42;
    public const string DefaultDatabase = "selflearning-sample.db";
    public const string DefaultReportDirectory = "selflearning-report";

    public const string Usage = """
        Usage: dotnet run --project samples/SelfLearning.Samples.Console -- [options]

        Simulates a clinic whose triage model is over-confident and learns from reviewer feedback,
        one simulated week per cycle, on an embedded SQLite database. Running it again continues
        from the stored state (week N+1 onward, same registry).

        Options:
          --weeks N      simulated weeks to run this time (default 10)
          --seed N       seed of the simulated clinic, used when the database is new (default 42)
          --db PATH      SQLite database file (default ./selflearning-sample.db, created on first run)
          --report DIR   where the HTML report and its SVG charts go (default ./selflearning-report)
          --help         print this help
        """;

    public int Weeks { get; init; } = DefaultWeeks;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Gets a value indicating whether --seed was given (a continued run keeps its stored seed and says so).</summary>
    public bool SeedGiven { get; init; }

    public string DatabasePath { get; init; } = DefaultDatabase;

    public string ReportDirectory { get; init; } = DefaultReportDirectory;

    public bool ShowHelp { get; init; }

    /// <summary>Parses the arguments; a wrong one throws an <see cref="ArgumentException"/> saying which and why.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--help" or "-h" or "-?":
                    options = options with { ShowHelp = true };
                    break;
                case "--weeks":
                    options = options with { Weeks = PositiveInt(name, Value(args, ref i)) };
                    break;
                case "--seed":
                    options = options with { Seed = Int(name, Value(args, ref i)), SeedGiven = true };
                    break;
                case "--db":
                    options = options with { DatabasePath = Value(args, ref i) };
                    break;
                case "--report":
                    options = options with { ReportDirectory = Value(args, ref i) };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'. Run with --help for the options.", nameof(args));
            }
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        string name = args[i];
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(args[i + 1]))
        {
            throw new ArgumentException($"Option '{name}' needs a value.", nameof(args));
        }

        i++;
        return args[i];
    }

    private static int Int(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"Option '{name}' needs a whole number, not '{text}'.", nameof(name));

    private static int PositiveInt(string name, string text)
    {
        int value = Int(name, text);
        return value is >= 1 and <= 520
            ? value
            : throw new ArgumentException($"Option '{name}' must be between 1 and 520, not {value}.", nameof(name));
    }
}

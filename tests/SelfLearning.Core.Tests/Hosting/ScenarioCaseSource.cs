using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// The host's validated cases for the scenario: (id, score, outcome) in validation order. The watermark is the
/// number of cases already consumed, the holdout a hash of the case id, so a case never changes split.
/// </summary>
internal sealed class ScenarioCaseSource : ICycleDataSource
{
    private readonly List<(string Id, double Score, bool Outcome)> _cases = [];
    private readonly object _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _cases.Count;
            }
        }
    }

    public void Add(string id, double score, bool outcome)
    {
        lock (_lock)
        {
            _cases.Add((id, score, outcome));
        }
    }

    public ValueTask<long> CountNewCasesAsync(string modelName, string? watermark, CancellationToken cancellationToken) =>
        ValueTask.FromResult((long)(Count - Parse(watermark)));

    public ValueTask<CycleDataset> LoadAsync(string modelName, string? watermark, CancellationToken cancellationToken)
    {
        (string Id, double Score, bool Outcome)[] cases;
        lock (_lock)
        {
            cases = _cases.Skip(Parse(watermark)).ToArray();
        }

        var train = cases.Where(c => !InHoldout(c.Id, HoldoutFraction)).ToArray();
        var holdout = cases.Where(c => InHoldout(c.Id, HoldoutFraction)).ToArray();
        var data = new TrainingData(
            TrainingTable.ForCalibration(train.Select(c => c.Score).ToArray(), train.Select(c => c.Outcome).ToArray()),
            TrainingTable.ForCalibration(holdout.Select(c => c.Score).ToArray(), holdout.Select(c => c.Outcome).ToArray()));
        var content = new StringBuilder();
        foreach (var c in cases)
        {
            content.Append(CultureInfo.InvariantCulture, $"{c.Id},{c.Score:R},{c.Outcome}\n");
        }

        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString()))).ToLowerInvariant();
        string next = (Parse(watermark) + cases.Length).ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new CycleDataset(
            data, holdout.Select(c => c.Score).ToArray(), holdout.Select(c => c.Outcome).ToArray(), hash, next));
    }

    private const double HoldoutFraction = 0.3;

    private static bool InHoldout(string id, double fraction) => BucketHash.Hash("holdout", id, 2) < fraction;

    private static int Parse(string? watermark) => watermark is null ? 0 : int.Parse(watermark, CultureInfo.InvariantCulture);
}

namespace SelfLearning.Cases;

/// <content>The state of one run and the running totals.</content>
internal sealed partial class CaseCollector
{
    private static readonly int ReasonCount = Enum.GetValues<CaseRejectionReason>().Length;
    private static readonly int StatusCount = Enum.GetValues<ValidationStatus>().Length;

    private static Dictionary<TKey, long> ToDictionary<TKey>(long[] counts)
        where TKey : struct, Enum
    {
        var result = new Dictionary<TKey, long>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                result[(TKey)(object)i] = counts[i];
            }
        }

        return result;
    }

    private sealed class Run(CaseWatermark after, IdTable<IdState> states, DateTimeOffset horizon)
    {
        /// <summary>Gets the latest validation time a kept case may have: the collector's now at the start plus the clock-skew allowance.</summary>
        public long HorizonTicks { get; } = horizon.UtcTicks;

        public CaseWatermark HighWatermark { get; set; } = after;

        public long Read { get; set; }

        public long Accepted { get; private set; }

        public long ValidInFirstPass { get; set; }

        public long HandledInSecondPass { get; set; }

        public long[] Rejections { get; } = new long[ReasonCount];

        public long[] ByStatus { get; } = new long[StatusCount];

        public SortedDictionary<string, long> AcceptedByLabel { get; } = new(StringComparer.Ordinal);

        public double QualitySum { get; private set; }

        public IdTable<IdState> States { get; } = states;

        /// <summary>Reviews per label, only for the few ids whose reviews gave different labels.</summary>
        public Dictionary<UInt128, Dictionary<ulong, int>> LabelCounts { get; } = [];

        public HashSet<string> NeedingReview { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? EarliestKept { get; private set; }

        public DateTimeOffset? LatestKept { get; private set; }

        public DateTimeOffset FinishedAt { get; private set; }

        public void Keep(AnonymizedCase kept, DateTimeOffset validatedAt)
        {
            Accepted++;
            QualitySum += kept.QualityScore;
            AcceptedByLabel[kept.Label] = AcceptedByLabel.GetValueOrDefault(kept.Label) + 1;
            EarliestKept = EarliestKept is { } earliest && earliest <= validatedAt ? earliest : validatedAt;
            LatestKept = LatestKept is { } latest && latest >= validatedAt ? latest : validatedAt;
        }

        public void Finish(DateTimeOffset finishedAt)
        {
            FinishedAt = finishedAt;
            long lost = ValidInFirstPass - HandledInSecondPass;
            if (lost > 0)
            {
                Rejections[(int)CaseRejectionReason.ChangedDuringCollection] += lost;
            }
        }

        public CaseCollectionResult ToResult(CaseWatermark startedAfter, DatasetSnapshot? snapshot) => new()
        {
            After = startedAfter,
            Watermark = HighWatermark,
            Statistics = new CaseCollectionStatistics
            {
                Read = Read,
                Accepted = Accepted,
                ByStatus = ToDictionary<ValidationStatus>(ByStatus),
                AcceptedByLabel = new SortedDictionary<string, long>(AcceptedByLabel, StringComparer.Ordinal),
                Rejections = ToDictionary<CaseRejectionReason>(Rejections),
                CasesNeedingReview = NeedingReview.Count,
                MeanQuality = Accepted > 0 ? QualitySum / Accepted : null,
                NewCasesSinceLastTraining = Accepted,
                LastCollectedAt = FinishedAt,
                Watermark = HighWatermark,
            },
            CasesNeedingReview = [.. NeedingReview.Order(StringComparer.Ordinal)],
            Snapshot = snapshot,
        };
    }

    /// <summary>The sums of every run of a collector; guarded by the collector's lock.</summary>
    private sealed class Totals
    {
        private readonly long[] rejections = new long[ReasonCount];
        private readonly long[] byStatus = new long[StatusCount];
        private readonly SortedDictionary<string, long> acceptedByLabel = new(StringComparer.Ordinal);
        private long read;
        private long accepted;
        private long needingReview;
        private double qualitySum;
        private DateTimeOffset? lastCollectedAt;
        private CaseWatermark watermark = CaseWatermark.Start;

        public long NewSinceTraining { get; set; }

        public void Add(Run run)
        {
            read += run.Read;
            accepted += run.Accepted;
            NewSinceTraining += run.Accepted;
            needingReview += run.NeedingReview.Count;
            qualitySum += run.QualitySum;
            for (int i = 0; i < rejections.Length; i++)
            {
                rejections[i] += run.Rejections[i];
            }

            for (int i = 0; i < byStatus.Length; i++)
            {
                byStatus[i] += run.ByStatus[i];
            }

            foreach (var (label, count) in run.AcceptedByLabel)
            {
                acceptedByLabel[label] = acceptedByLabel.GetValueOrDefault(label) + count;
            }

            lastCollectedAt = lastCollectedAt is { } last && last >= run.FinishedAt ? last : run.FinishedAt;
            watermark = run.HighWatermark > watermark ? run.HighWatermark : watermark;
        }

        public CaseCollectionStatistics ToStatistics() => new()
        {
            Read = read,
            Accepted = accepted,
            ByStatus = ToDictionary<ValidationStatus>(byStatus),
            AcceptedByLabel = new SortedDictionary<string, long>(acceptedByLabel, StringComparer.Ordinal),
            Rejections = ToDictionary<CaseRejectionReason>(rejections),
            CasesNeedingReview = needingReview,
            MeanQuality = accepted > 0 ? qualitySum / accepted : null,
            NewCasesSinceLastTraining = NewSinceTraining,
            LastCollectedAt = lastCollectedAt,
            Watermark = watermark,
        };
    }

    /// <summary>Gathers a run's kept cases for <c>DatasetSnapshot.Create</c>.</summary>
    private sealed class SnapshotSink : ICollectedCaseSink
    {
        public List<AnonymizedCase> Cases { get; } = [];

        public ValueTask AddAsync(AnonymizedCase anonymizedCase, CancellationToken cancellationToken)
        {
            Cases.Add(anonymizedCase);
            return ValueTask.CompletedTask;
        }
    }
}

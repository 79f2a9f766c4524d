using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SelfLearning.Cases;

/// <content>The two reads of a collection run.</content>
internal sealed partial class CaseCollector
{
    /// <summary>
    /// A 128-bit key for a case id, for this run's per-id state only: SipHash-2-4-128 of the id's UTF-16
    /// code units under the collector's random key. Never stored or compared across processes, so it
    /// need not be stable, only collision-free: under a secret random key no ids can be chosen to collide,
    /// and by chance two of a billion ids collide with probability below 10⁻²⁰.
    /// </summary>
    private UInt128 IdKey(string id) => idHash.Hash(MemoryMarshal.AsBytes(id.AsSpan()));

    /// <summary>FNV-1a, 64-bit, over UTF-16 code units: tells labels and reviewers apart inside one id's state.</summary>
    internal static ulong TextKey(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash == 0 ? 1 : hash;
    }

    private CaseRejectionReason? Check(Run run, FeedbackCase? feedbackCase)
    {
        if (feedbackCase is null)
        {
            return CaseRejectionReason.Malformed;
        }

        if (string.IsNullOrWhiteSpace(feedbackCase.Id))
        {
            return CaseRejectionReason.MissingId;
        }

        if (feedbackCase.Status != ValidationStatus.Validated)
        {
            return CaseRejectionReason.NotValidated;
        }

        if (feedbackCase.ValidatedAt is null)
        {
            return CaseRejectionReason.MissingValidationTime;
        }

        if (feedbackCase.ValidatedAt.Value.UtcTicks > run.HorizonTicks)
        {
            return CaseRejectionReason.ValidatedInFuture;
        }

        if (string.IsNullOrWhiteSpace(feedbackCase.ValidatedLabel))
        {
            return CaseRejectionReason.MissingLabel;
        }

        if (string.IsNullOrWhiteSpace(feedbackCase.PredictedLabel))
        {
            return CaseRejectionReason.MissingPrediction;
        }

        if (string.IsNullOrWhiteSpace(feedbackCase.ModelName) || string.IsNullOrWhiteSpace(feedbackCase.ModelVersion))
        {
            return CaseRejectionReason.MissingModel;
        }

        if (InputRequirementsOf(feedbackCase.ModelName).Check(feedbackCase.Input) is CaseRejectionReason unusable)
        {
            return unusable;
        }

        if (!(feedbackCase.PredictedConfidence is >= 0.0 and <= 1.0))
        {
            return CaseRejectionReason.InvalidConfidence;
        }

        if (!(feedbackCase.ReviewerCertainty is >= 0.0 and <= 1.0))
        {
            return CaseRejectionReason.InvalidCertainty;
        }

        if (feedbackCase.FreeText is { } text && text.Length > options.MaxFreeTextLength)
        {
            return CaseRejectionReason.FreeTextTooLong;
        }

        if (!AttributesFit(feedbackCase))
        {
            return CaseRejectionReason.AttributesTooLarge;
        }

        if (feedbackCase.ReviewerCertainty < options.MinReviewerCertainty)
        {
            return CaseRejectionReason.LowReviewerCertainty;
        }

        if (options.MinModelConfidence is double minConfidence && feedbackCase.PredictedConfidence < minConfidence)
        {
            return CaseRejectionReason.LowModelConfidence;
        }

        return null;
    }

    private CaseInputRequirements InputRequirementsOf(string modelName) =>
        options.ModelInputRequirements.Count > 0 && options.ModelInputRequirements.TryGetValue(modelName, out var requirements)
            ? requirements
            : options.InputRequirements;

    private bool AttributesFit(FeedbackCase feedbackCase)
    {
        if (feedbackCase.Attributes.Count > options.MaxAttributes)
        {
            return false;
        }

        foreach (var (key, value) in feedbackCase.Attributes)
        {
            if (key.Length > options.MaxAttributeLength || (value?.Length ?? 0) > options.MaxAttributeLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Counts and checks a case read the first time.</summary>
    /// <returns>Whether the case is valid: the caller remembers it with its batch (<see cref="RememberBatch"/>).</returns>
    private bool FirstPass(Run run, FeedbackCase? feedbackCase)
    {
        run.Read++;
        CaseRejectionReason? reason;
        try
        {
            if (feedbackCase is not null && Enum.IsDefined(feedbackCase.Status))
            {
                run.ByStatus[(int)feedbackCase.Status]++;
            }

            reason = Check(run, feedbackCase);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CasesLog.CaseFailed(logger, e.GetType().Name);
            reason = CaseRejectionReason.Malformed;
        }

        if (reason is CaseRejectionReason rejected)
        {
            run.Rejections[(int)rejected]++;
            return false;
        }

        run.ValidInFirstPass++;
        return true;
    }

    /// <summary>Remembers the batch's valid cases in read order, their table reads started together first.</summary>
    private static void RememberBatch(Run run, IdBatch batch)
    {
        batch.Touch(run.States);
        for (int i = 0; i < batch.Count; i++)
        {
            Remember(run, batch.Cases[i], batch.Keys[i]);
        }

        batch.Clear();
    }

    private static void Remember(Run run, FeedbackCase feedbackCase, UInt128 key)
    {
        var watermark = new CaseWatermark(feedbackCase.ValidatedAt!.Value, feedbackCase.Id);
        if (watermark > run.HighWatermark)
        {
            run.HighWatermark = watermark;
        }

        long ticks = feedbackCase.ValidatedAt.Value.UtcTicks;
        ulong label = TextKey(feedbackCase.ValidatedLabel);
        ulong reviewer = TextKey(feedbackCase.ReviewerId);

        ref IdState state = ref run.States.GetValueRefOrAddDefault(key, out bool seen);
        if (!seen)
        {
            state = new IdState { LatestTicks = ticks, LatestLabel = label, LatestReviewer = reviewer, FirstReviewer = reviewer, Reviews = 1 };
            return;
        }

        state.Reviews++;
        state.ReviewersDiffer |= reviewer != state.FirstReviewer;
        if (state.LabelsDiffer)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(run.LabelCounts[key], label, out _)++;
        }
        else if (label != state.LatestLabel)
        {
            // Until now every review gave the latest label; from here on count reviews per label.
            state.LabelsDiffer = true;
            run.LabelCounts[key] = new Dictionary<ulong, int> { [state.LatestLabel] = state.Reviews - 1, [label] = 1 };
        }

        if (ticks > state.LatestTicks)
        {
            state.LatestTicks = ticks;
            state.LatestLabel = label;
            state.LatestReviewer = reviewer;
            state.TiedAtLatest = false;
        }
        else if (ticks == state.LatestTicks)
        {
            // Two reviews at the same instant: different labels cannot be ordered, so they conflict;
            // with the same label, the larger reviewer key wins, whatever order the source returns them in.
            state.TiedAtLatest |= label != state.LatestLabel;
            if (label == state.LatestLabel && reviewer > state.LatestReviewer)
            {
                state.LatestReviewer = reviewer;
            }
        }
    }

    /// <summary>Checks a case read the second time; a valid one is decided with its batch (<see cref="DecideBatchAsync"/>).</summary>
    /// <returns>The key of the case's id when the case is valid, otherwise <see langword="null"/>.</returns>
    private UInt128? SecondPassCheck(Run run, FeedbackCase? feedbackCase)
    {
        try
        {
            return feedbackCase is null || Check(run, feedbackCase) is not null ? null : IdKey(feedbackCase.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CasesLog.CaseFailed(logger, e.GetType().Name);
            run.Rejections[(int)CaseRejectionReason.Malformed]++;
            run.HandledInSecondPass++;
            return null;
        }
    }

    /// <summary>
    /// Decides the batch's valid cases in read order, their table reads started together first; the kept ones are
    /// anonymised and handed to the sink whenever <paramref name="kept"/> fills up.
    /// </summary>
    private async ValueTask DecideBatchAsync(Run run, IdBatch batch, KeptBatch kept, ICollectedCaseSink sink, CancellationToken cancellationToken)
    {
        batch.Touch(run.States);
        for (int i = 0; i < batch.Count; i++)
        {
            if (Decide(run, batch.Cases[i], batch.Keys[i], kept) && kept.IsFull)
            {
                await AnonymizeAndKeepAsync(run, kept, sink, cancellationToken).ConfigureAwait(false);
            }
        }

        batch.Clear();
    }

    /// <summary>
    /// Decides whether a valid case read the second time is the one kept for its id; a kept case waits in
    /// <paramref name="kept"/> to be anonymised with its batch.
    /// </summary>
    /// <returns>Whether the case was added to <paramref name="kept"/>.</returns>
    private bool Decide(Run run, FeedbackCase feedbackCase, UInt128 key, KeptBatch kept)
    {
        bool handled = false;
        try
        {
            ref IdState state = ref run.States.GetValueRefOrNullRef(key);
            if (Unsafe.IsNullRef(ref state) || new CaseWatermark(feedbackCase.ValidatedAt!.Value, feedbackCase.Id) > run.HighWatermark)
            {
                // Validated after the first read began: the next run collects it.
                return false;
            }

            run.HandledInSecondPass++;
            handled = true;
            bool conflict = state.TiedAtLatest ||
                (state.LabelsDiffer && state.ReviewersDiffer && options.ConflictResolution == ConflictResolution.NeedsReview);
            if (conflict)
            {
                run.Rejections[(int)CaseRejectionReason.ConflictingLabels]++;
                run.NeedingReview.Add(feedbackCase.Id);
                return false;
            }

            bool isLatest = !state.Kept &&
                feedbackCase.ValidatedAt.Value.UtcTicks == state.LatestTicks &&
                TextKey(feedbackCase.ValidatedLabel) == state.LatestLabel &&
                TextKey(feedbackCase.ReviewerId) == state.LatestReviewer;
            if (!isLatest)
            {
                run.Rejections[(int)CaseRejectionReason.Superseded]++;
                return false;
            }

            state.Kept = true;
            double agreement = state.LabelsDiffer ? (double)run.LabelCounts[key][state.LatestLabel] / state.Reviews : 1.0;
            CaseQuality quality = scorer.Score(feedbackCase, agreement);
            if (quality.Score < scorer.Threshold)
            {
                run.Rejections[(int)CaseRejectionReason.LowQuality]++;
                return false;
            }

            kept.Add(feedbackCase, quality.Score);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CasesLog.CaseFailed(logger, e.GetType().Name);
            run.Rejections[(int)CaseRejectionReason.Malformed]++;
            if (!handled)
            {
                run.HandledInSecondPass++;
            }

            return false;
        }
    }

    /// <summary>
    /// Anonymises the waiting kept cases, their ids pseudonymised and split side by side (two SHA-256 based hashes per
    /// case, computed in vector lanes), and hands them to the sink in the order they were read.
    /// </summary>
    private async ValueTask AnonymizeAndKeepAsync(Run run, KeptBatch kept, ICollectedCaseSink sink, CancellationToken cancellationToken)
    {
        int count = kept.Count;
        if (count == 0)
        {
            return;
        }

        anonymizer.PseudonymizeCaseIds(kept.Ids.AsSpan(0, count), kept.Pseudonyms);
        Splitter.Assign(kept.Pseudonyms.AsSpan(0, count), kept.Splits);
        for (int i = 0; i < count; i++)
        {
            FeedbackCase feedbackCase = kept.Cases[i];
            AnonymizedCase anonymized;
            try
            {
                anonymized = anonymizer.Anonymize(feedbackCase, kept.Quality[i], kept.Pseudonyms[i], kept.Splits[i]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CasesLog.CaseFailed(logger, e.GetType().Name);
                run.Rejections[(int)CaseRejectionReason.Malformed]++;
                continue;
            }

            await sink.AddAsync(anonymized, cancellationToken).ConfigureAwait(false);
            run.Keep(anonymized, feedbackCase.ValidatedAt!.Value);
        }

        kept.Clear();
    }

    /// <summary>Valid cases of one pass waiting for their ids to be looked up together, with their ids' keys.</summary>
    private sealed class IdBatch
    {
        private const int Capacity = 32;

        public FeedbackCase[] Cases { get; } = new FeedbackCase[Capacity];

        public UInt128[] Keys { get; } = new UInt128[Capacity];

        public int Count { get; private set; }

        /// <summary>Adds a case and its id's key.</summary>
        /// <returns>Whether the batch is now full.</returns>
        public bool Add(FeedbackCase feedbackCase, UInt128 key)
        {
            Cases[Count] = feedbackCase;
            Keys[Count] = key;
            Count++;
            return Count == Capacity;
        }

        /// <summary>Starts the table reads of every key in the batch.</summary>
        public void Touch(IdTable<IdState> states)
        {
            int used = 0;
            for (int i = 0; i < Count; i++)
            {
                used += states.Touch(Keys[i]);
            }

            TouchedSlotsInUse += used;
        }

        /// <summary>Gets how many touched slots were in use: kept only so the touching reads are not optimised away.</summary>
        public long TouchedSlotsInUse { get; private set; }

        public void Clear()
        {
            Array.Clear(Cases, 0, Count);
            Count = 0;
        }
    }

    /// <summary>Kept cases waiting to be anonymised together.</summary>
    private sealed class KeptBatch
    {
        private const int Capacity = 256;

        public FeedbackCase[] Cases { get; } = new FeedbackCase[Capacity];

        public double[] Quality { get; } = new double[Capacity];

        public string[] Ids { get; } = new string[Capacity];

        public string[] Pseudonyms { get; } = new string[Capacity];

        public DatasetSplit[] Splits { get; } = new DatasetSplit[Capacity];

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public void Add(FeedbackCase feedbackCase, double quality)
        {
            Cases[Count] = feedbackCase;
            Quality[Count] = quality;
            Ids[Count] = feedbackCase.Id;
            Count++;
        }

        /// <summary>Lets go of the cases, so a batch never keeps a host's case alive after it was handed on.</summary>
        public void Clear()
        {
            Array.Clear(Cases, 0, Count);
            Array.Clear(Ids, 0, Count);
            Array.Clear(Pseudonyms, 0, Count);
            Count = 0;
        }
    }

    /// <summary>What a run remembers about one case id: 40 bytes (plus a 16-byte key), whatever the case's size.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct IdState
    {
        public long LatestTicks;
        public ulong LatestLabel;
        public ulong LatestReviewer;
        public ulong FirstReviewer;
        public int Reviews;
        public bool ReviewersDiffer;
        public bool LabelsDiffer;
        public bool TiedAtLatest;
        public bool Kept;
    }
}

using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace SelfLearning.ML;

/// <summary>
/// A pool of <see cref="PredictionEngine{TSrc, TDst}"/>s over one loaded model (one version). ML.NET's engine is not
/// thread-safe, so each call rents one engine with its own input and output buffers and returns it; an engine is never
/// in two threads' hands at once, which <see cref="Lease.Acquire"/> checks.
/// </summary>
/// <remarks>
/// Each thread keeps the engine it returned last in a thread-static slot, and its next call on the same pool takes it
/// from there without touching the shared pool (two interlocked exchanges fewer per prediction). A slot is one
/// thread's alone, and a rented lease leaves the slot, so a nested call on the same thread rents another engine.
/// The slot is keyed by the pool, that is by the loaded version: after a hot swap the thread's first call on the new
/// version rents from the new pool and its slot then holds the new version's engine, the old one going back to its
/// own pool. A thread thus holds at most one idle engine per output type, possibly of a retired version until that
/// thread predicts again.
/// </remarks>
internal sealed class EnginePool<TOutput>
    where TOutput : class, new()
{
    /// <summary>The engine the calling thread returned last (of whichever pool of this output type), or null.</summary>
    [ThreadStatic]
    private static Lease? threadLease;

    private readonly ObjectPool<Lease> _pool;
    private long _created;

    public EnginePool(MLContext ml, ITransformer model, int featureCount, IReadOnlyList<MlNetAttributeColumn> attributes)
    {
        FeatureCount = featureCount;
        Attributes = attributes;
        var schema = MlNetRows.InputSchema(featureCount, attributes);
        _pool = new DefaultObjectPool<Lease>(new Policy(this, () => ml.Model.CreatePredictionEngine<MlNetRows.FeatureRow, TOutput>(model, ignoreMissingColumns: true, inputSchemaDefinition: schema)));
    }

    public int FeatureCount { get; }

    /// <summary>Gets the attribute columns the model reads, in the order of the input row's attribute members.</summary>
    public IReadOnlyList<MlNetAttributeColumn> Attributes { get; }

    /// <summary>Gets how many engines all pools have created since the process started (test instrumentation).</summary>
    internal static long TotalEnginesCreated => Interlocked.Read(ref EngineCounters.Created);

    /// <summary>Gets how many engines the pool has created (test instrumentation: more than one means engines were not shared).</summary>
    public long EnginesCreated => Interlocked.Read(ref _created);

    /// <summary>Rents an engine for the calling thread (its cached one if it holds one of this pool); hand it back with <see cref="Return"/>.</summary>
    public Lease Rent()
    {
        var lease = threadLease;
        if (lease is not null && ReferenceEquals(lease.Owner, this))
        {
            threadLease = null;
        }
        else
        {
            lease = _pool.Get();
        }

        lease.Acquire();
        return lease;
    }

    /// <summary>Hands an engine back: into the calling thread's slot, or to the pool when the slot holds one of this pool.</summary>
    public void Return(Lease lease)
    {
        lease.Release();
        var cached = threadLease;
        if (cached is null)
        {
            threadLease = lease;
        }
        else if (!ReferenceEquals(cached.Owner, this))
        {
            // The slot held another version's engine: the latest version takes the slot, the old engine goes home.
            threadLease = lease;
            cached.Owner._pool.Return(cached);
        }
        else
        {
            _pool.Return(lease);
        }
    }

    /// <summary>One engine with its reusable input and output rows.</summary>
    internal sealed class Lease(EnginePool<TOutput> owner, PredictionEngine<MlNetRows.FeatureRow, TOutput> engine, int featureCount)
    {
        private int _busy;

        /// <summary>Gets the pool the engine belongs to.</summary>
        public EnginePool<TOutput> Owner { get; } = owner;

        public MlNetRows.FeatureRow Input { get; } = new() { Features = new float[featureCount] };

        /// <summary>Scores the features and the case's attributes (a missing one read as empty) into a reused output row.</summary>
        public TOutput Predict(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes)
        {
            MlNetRows.Copy(features, Input.Features);
            if (Owner.Attributes.Count > 0)
            {
                Input.SetAttributes(Owner.Attributes, attributes);
            }

            var output = Output;
            engine.Predict(Input, ref output);
            Output = output;
            return output;
        }

        private TOutput Output { get; set; } = new();

        /// <exception cref="InvalidOperationException">The engine is already in use: the pool handed it out twice.</exception>
        public void Acquire()
        {
            if (Interlocked.Exchange(ref _busy, 1) != 0)
            {
                throw new InvalidOperationException("A pooled ML.NET prediction engine was handed to a second thread while in use.");
            }
        }

        public void Release() => Volatile.Write(ref _busy, 0);
    }

    private sealed class Policy(EnginePool<TOutput> owner, Func<PredictionEngine<MlNetRows.FeatureRow, TOutput>> create) : PooledObjectPolicy<Lease>
    {
        public override Lease Create()
        {
            Interlocked.Increment(ref owner._created);
            Interlocked.Increment(ref EngineCounters.Created);
            return new Lease(owner, create(), owner.FeatureCount);
        }

        public override bool Return(Lease obj) => true;
    }
}

/// <summary>Process-wide engine counts across every pool (one static for all closed generic pool types).</summary>
internal static class EngineCounters
{
#pragma warning disable CA2211 // A counter updated with Interlocked; internal, for tests.
    public static long Created;
#pragma warning restore CA2211
}

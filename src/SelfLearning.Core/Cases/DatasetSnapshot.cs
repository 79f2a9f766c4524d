using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SelfLearning.Internal;
using SelfLearning.Privacy;

namespace SelfLearning.Cases;

/// <summary>
/// An immutable dataset of anonymised cases, versioned by content: the version is SHA-256 of the
/// canonical serialisation (cases sorted by id, ordinal; each case as its JSON line with a fixed field
/// order, invariant formatting and round-trip doubles; lines ended by LF). The same cases give the
/// same version whatever order they were collected in.
/// </summary>
internal sealed class DatasetSnapshot
{
    private DatasetSnapshot(ImmutableArray<AnonymizedCase> cases, DatasetManifest manifest)
    {
        Cases = cases;
        Manifest = manifest;
    }

    /// <summary>Gets the version: SHA-256 of the canonical serialisation, 64 lowercase hex digits.</summary>
    public string Version => Manifest.Version;

    /// <summary>Gets the manifest: counts, time range, watermark, filters and anonymiser settings.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>Gets the cases, sorted by id (ordinal).</summary>
    public ImmutableArray<AnonymizedCase> Cases { get; }

    /// <summary>Builds a dataset from anonymised cases.</summary>
    /// <param name="cases">The cases, in any order; ids must be distinct.</param>
    /// <param name="provenance">Where they came from.</param>
    /// <param name="splitter">The split rule the cases' splits were assigned by; <see langword="null"/> for <see cref="DatasetSplitter.Default"/>.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">A case is null, two cases share an id, or a case's split does not follow <paramref name="splitter"/>.</exception>
    public static DatasetSnapshot Create(IEnumerable<AnonymizedCase> cases, DatasetProvenance provenance, DatasetSplitter? splitter = null) =>
        Create(cases, provenance, splitter, splitsAssigned: false);

    /// <summary>
    /// Builds a dataset; with <paramref name="splitsAssigned"/>, from cases whose splits <paramref name="splitter"/> itself
    /// just assigned (the collector's), so each split is not hashed a second time to check it.
    /// </summary>
    internal static DatasetSnapshot Create(IEnumerable<AnonymizedCase> cases, DatasetProvenance provenance, DatasetSplitter? splitter, bool splitsAssigned)
    {
        Guard.NotNull(cases);
        Guard.NotNull(provenance);
        splitter ??= DatasetSplitter.Default;
        AnonymizedCase[] sorted = [.. cases];
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] is null)
            {
                throw new ArgumentException($"'{nameof(cases)}' holds null at index {i}.", nameof(cases));
            }

            if ((uint)sorted[i].Split > (uint)DatasetSplit.Test)
            {
                throw new ArgumentException($"'{nameof(cases)}' case at index {i} has split {(int)sorted[i].Split}, which is not a defined {nameof(DatasetSplit)}.", nameof(cases));
            }
        }

        if (!splitsAssigned)
        {
            CheckSplits(sorted, splitter, nameof(cases));
        }

        SortById(sorted);
        for (int i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i].Id, sorted[i - 1].Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{nameof(cases)}' holds case id '{sorted[i].Id}' more than once.", nameof(cases));
            }
        }

        // Counted in arrays indexed by split, labels looked up by hash: a sorted dictionary per case costs a quarter second.
        var splitCounts = new long[3];
        var labelCounts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (AnonymizedCase c in sorted)
        {
            int split = (int)c.Split;
            splitCounts[split]++;
            ref long[]? perSplit = ref CollectionsMarshal.GetValueRefOrAddDefault(labelCounts, c.Label, out _);
            perSplit ??= new long[3];
            perSplit[split]++;
        }

        var manifest = new DatasetManifest
        {
            Version = ComputeVersion(sorted),
            CaseCount = sorted.Length,
            SplitCounts = BySplit(splitCounts, zeros: true),
            LabelCounts = labelCounts.Order(LabelOrder).ToDictionary(p => p.Key, p => (IReadOnlyDictionary<DatasetSplit, long>)BySplit(p.Value, zeros: false), StringComparer.Ordinal),
            SplitFractions = (splitter.TrainFraction, splitter.ValidationFraction, splitter.TestFraction),
            Provenance = provenance,
        };
        return new DatasetSnapshot(ImmutableArray.Create(sorted), manifest);
    }

    /// <summary>The cases in one split, in id order.</summary>
    /// <param name="split">The split.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not a defined <see cref="DatasetSplit"/>.</exception>
    public IEnumerable<AnonymizedCase> InSplit(DatasetSplit split)
    {
        Guard.Defined(split);
        return Cases.Where(c => c.Split == split);
    }

    /// <summary>Writes the cases as JSON Lines (the canonical serialisation), streamed.</summary>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when every case is written.</returns>
    public Task WriteJsonLinesAsync(Stream destination, CancellationToken cancellationToken = default) =>
        CaseJsonLines.WriteAsync(Cases, destination, cancellationToken);

    /// <summary>Writes the cases as CSV (RFC 4180), streamed.</summary>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when every case is written.</returns>
    public Task WriteCsvAsync(Stream destination, CancellationToken cancellationToken = default) =>
        CaseCsv.WriteAsync(Cases, destination, cancellationToken);

    private static readonly IComparer<KeyValuePair<string, long[]>> LabelOrder =
        Comparer<KeyValuePair<string, long[]>>.Create(static (x, y) => string.CompareOrdinal(x.Key, y.Key));

    /// <summary>Counts by split: every split for the dataset, only the splits a label occurs in for a label.</summary>
    private static Dictionary<DatasetSplit, long> BySplit(long[] counts, bool zeros)
    {
        var result = new Dictionary<DatasetSplit, long>();
        for (int split = 0; split < counts.Length; split++)
        {
            if (zeros || counts[split] > 0)
            {
                result[(DatasetSplit)split] = counts[split];
            }
        }

        return result;
    }

    /// <summary>Checks that every case is in the split <paramref name="splitter"/> assigns its id to, the ids hashed side by side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckSplits(AnonymizedCase[] cases, DatasetSplitter splitter, string parameterName)
    {
        const int Batch = 1024;
        var ids = new string[Math.Min(Batch, cases.Length)];
        var splits = new DatasetSplit[ids.Length];
        for (int first = 0; first < cases.Length; first += Batch)
        {
            int count = Math.Min(Batch, cases.Length - first);
            for (int j = 0; j < count; j++)
            {
                ids[j] = cases[first + j].Id;
            }

            splitter.Assign(ids.AsSpan(0, count), splits);
            for (int j = 0; j < count; j++)
            {
                AnonymizedCase c = cases[first + j];
                if (c.Split != splits[j])
                {
                    throw new ArgumentException(
                        $"'{parameterName}' case '{c.Id}' is in split {c.Split}, but the split rule puts it in {splits[j]}.",
                        parameterName);
                }
            }
        }
    }

    /// <summary>
    /// Sorts cases by id, ordinal. When every id is a pseudonym (32 lowercase hex digits, as the collector writes them)
    /// they are sorted by their 128-bit value, which is the same order without a string comparison at every step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortById(AnonymizedCase[] cases)
    {
        // Not from the shared pool: its trimming walks arrays this large at every gen-2 collection.
        UInt128[] keys = GC.AllocateUninitializedArray<UInt128>(cases.Length);
        for (int i = 0; i < cases.Length; i++)
        {
            if (!TryParsePseudonym(cases[i].Id, out keys[i]))
            {
                Array.Sort(cases, static (x, y) => string.CompareOrdinal(x.Id, y.Id));
                return;
            }
        }

        Array.Sort(keys, cases);
    }

    /// <summary>Reads 32 lowercase hex digits; any other id is not a pseudonym (upper case would not sort ordinally as its value).</summary>
    private static bool TryParsePseudonym(string id, out UInt128 value)
    {
        value = UInt128.Zero;
        if (id.Length != 32 || !TryParseHex16(id.AsSpan(0, 16), out ulong upper) || !TryParseHex16(id.AsSpan(16), out ulong lower))
        {
            return false;
        }

        value = new UInt128(upper, lower);
        return true;
    }

    private static bool TryParseHex16(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (char c in digits)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                digit = (uint)(c - 'a');
                if (digit > 5)
                {
                    return false;
                }

                digit += 10;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string ComputeVersion(AnonymizedCase[] sorted)
    {
        // The SHA-256 of the JSON Lines. Writing the lines costs several times more than hashing them, so blocks of
        // cases are written on every core into their own buffers, and each round of blocks is hashed in order while the
        // next round is written. The digest is that of the lines written one after another.
        const int CasesPerBlock = 2048;
        int blocks = (sorted.Length + CasesPerBlock - 1) / CasesPerBlock;
        int width = Math.Clamp(Environment.ProcessorCount, 1, 16);
        var buffers = new ArrayBufferWriter<byte>[2 * width];
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new ArrayBufferWriter<byte>(CasesPerBlock * 512);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task hashing = Task.CompletedTask;
        int set = 0;
        for (int first = 0; first < blocks; first += width)
        {
            int round = first;
            int count = Math.Min(width, blocks - first);
            ArraySegment<ArrayBufferWriter<byte>> written = new(buffers, set * width, count);
            Parallel.For(0, count, k => WriteBlock(sorted, (round + k) * CasesPerBlock, CasesPerBlock, written[k]));
            hashing.Wait();
            hashing = Task.Run(() =>
            {
                foreach (var buffer in written)
                {
                    hash.AppendData(buffer.WrittenSpan);
                }
            });
            set ^= 1;
        }

        hashing.Wait();
        return LowerHex.Encode(hash.GetHashAndReset());
    }

    private static void WriteBlock(AnonymizedCase[] sorted, int start, int length, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = CaseJsonLines.CreateLineWriter(buffer);
        int end = Math.Min(sorted.Length, start + length);
        for (int i = start; i < end; i++)
        {
            CaseJsonLines.WriteLine(writer, buffer, sorted[i]);
        }
    }
}

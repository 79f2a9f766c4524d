using System.Buffers;
using System.Collections.Immutable;
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

            if (!splitsAssigned && sorted[i].Split != splitter.Assign(sorted[i].Id))
            {
                throw new ArgumentException(
                    $"'{nameof(cases)}' case '{sorted[i].Id}' is in split {sorted[i].Split}, but the split rule puts it in {splitter.Assign(sorted[i].Id)}.",
                    nameof(cases));
            }
        }

        Array.Sort(sorted, static (x, y) => string.CompareOrdinal(x.Id, y.Id));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i].Id, sorted[i - 1].Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{nameof(cases)}' holds case id '{sorted[i].Id}' more than once.", nameof(cases));
            }
        }

        var splitCounts = new Dictionary<DatasetSplit, long>
        {
            [DatasetSplit.Train] = 0,
            [DatasetSplit.Validation] = 0,
            [DatasetSplit.Test] = 0,
        };
        var labelCounts = new SortedDictionary<string, Dictionary<DatasetSplit, long>>(StringComparer.Ordinal);
        foreach (AnonymizedCase c in sorted)
        {
            splitCounts[c.Split]++;
            if (!labelCounts.TryGetValue(c.Label, out var perSplit))
            {
                labelCounts[c.Label] = perSplit = [];
            }

            perSplit[c.Split] = perSplit.GetValueOrDefault(c.Split) + 1;
        }

        var manifest = new DatasetManifest
        {
            Version = ComputeVersion(sorted),
            CaseCount = sorted.Length,
            SplitCounts = splitCounts,
            LabelCounts = labelCounts.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<DatasetSplit, long>)p.Value, StringComparer.Ordinal),
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

    private static string ComputeVersion(AnonymizedCase[] sorted)
    {
        // The hash of the JSON Lines, fed in chunks of about 64 KB: one call into the platform's SHA-256 per chunk
        // rather than per case (a million calls cost more than the hashing). The digest is the same either way.
        const int Chunk = 64 * 1024;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>(Chunk + 4096);
        using var writer = CaseJsonLines.CreateLineWriter(buffer);
        foreach (AnonymizedCase c in sorted)
        {
            CaseJsonLines.WriteLine(writer, buffer, c);
            if (buffer.WrittenCount >= Chunk)
            {
                hash.AppendData(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        hash.AppendData(buffer.WrittenSpan);
        return LowerHex.Encode(hash.GetHashAndReset());
    }
}

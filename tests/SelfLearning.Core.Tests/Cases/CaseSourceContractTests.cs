using System.Collections.Immutable;
using System.Globalization;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

/// <summary>
/// What every <see cref="ICaseSource"/> must do. Each source's test class derives from this one (the SQLite tests
/// compile it in by link), so the in-memory and persistent sources select exactly the same cases for a watermark.
/// Sources may return cases in any order, so reads are compared as collections of exact descriptions.
/// </summary>
public abstract class CaseSourceContractTests : IDisposable
{
    protected static readonly DateTimeOffset Instant = new(2024, 5, 1, 9, 30, 0, TimeSpan.Zero);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A source holding <paramref name="cases"/>.</summary>
    protected abstract ValueTask<ICaseSource> CreateSourceAsync(IReadOnlyList<FeedbackCase> cases);

    /// <summary>Adds <paramref name="cases"/> to a source made by <see cref="CreateSourceAsync"/>.</summary>
    protected abstract ValueTask AddAsync(ICaseSource source, IReadOnlyList<FeedbackCase> cases);

    protected virtual void Dispose(bool disposing)
    {
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_FullSparseAndMalformedCases_ReturnsEveryFieldExactly()
    {
        FeedbackCase[] cases = [FullCase(), SparseCase(), MalformedCase()];
        ICaseSource source = await CreateSourceAsync(cases);

        List<FeedbackCase> read = await ReadAllAsync(source, CaseWatermark.Start);

        read.Select(Describe).Should().BeEquivalentTo(cases.Select(Describe));
        FeedbackCase full = read.Single(c => c.Id == FullCase().Id);
        full.CreatedAt.EqualsExact(FullCase().CreatedAt).Should().BeTrue("the offset is kept as well as the instant");
        full.ValidatedAt!.Value.EqualsExact(FullCase().ValidatedAt!.Value).Should().BeTrue();
        full.Attributes.KeyComparer.Should().BeSameAs(StringComparer.Ordinal);
        full.Input.ClassScores.KeyComparer.Should().BeSameAs(StringComparer.Ordinal);
        BitConverter.DoubleToInt64Bits(full.Input.Features[0]).Should().Be(BitConverter.DoubleToInt64Bits(-0.0), "negative zero keeps its sign bit");
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_EveryWatermarkPosition_ReturnsExactlyTheCasesAfterIt()
    {
        // Ties on the validation time are broken by ordinal id. "\uFF21" (U+FF21) sorts after "\U0001F600" in UTF-16
        // (a surrogate, 0xD83D, is below 0xFF21) but before it in UTF-8 bytes, so a source comparing UTF-8 fails here.
        string[] tiedIds = ["a", "b", "B", "b0", "\uFF21", "\U0001F600", "\u00E9", "a\0"];
        List<FeedbackCase> cases =
        [
            .. tiedIds.Select(id => CaseTestData.Case(id, validatedAt: Instant)),
            CaseTestData.Case("z-earlier", validatedAt: Instant.AddTicks(-1)),
            CaseTestData.Case("0-later", validatedAt: Instant.AddTicks(1)),
            CaseTestData.Case("offset", validatedAt: Instant.ToOffset(TimeSpan.FromHours(-7))),
        ];
        ICaseSource source = await CreateSourceAsync(cases);
        CaseWatermark[] watermarks =
        [
            CaseWatermark.Start,
            .. cases.Select(Key).Order(),
            new(Instant, string.Empty),
            new(Instant.ToOffset(TimeSpan.FromHours(5.5)), "b"),
            new(Instant.AddTicks(1), "1"),
        ];

        foreach (CaseWatermark after in watermarks)
        {
            string[] expected = cases.Where(c => after.IsBefore(c.ValidatedAt!.Value, c.Id)).Select(c => c.Id).ToArray();

            List<FeedbackCase> read = await ReadAllAsync(source, after);

            read.Select(c => c.Id).Should().BeEquivalentTo(expected, "after ({0:O}, \"{1}\")", after.ValidatedAt, after.CaseId);
            (await source.CountValidatedAfterAsync(after)).Should().Be(expected.Length, "the count agrees with the read after ({0:O}, \"{1}\")", after.ValidatedAt, after.CaseId);
        }
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_CaseReviewedTwice_ReturnsEveryReview()
    {
        FeedbackCase first = CaseTestData.Case("case-1", "flu", Instant, "rev-1");
        FeedbackCase second = CaseTestData.Case("case-1", "cold", Instant.AddHours(1), "rev-2");
        FeedbackCase sameInstantOtherReviewer = CaseTestData.Case("case-1", "covid", Instant.AddHours(1), "rev-3");
        ICaseSource source = await CreateSourceAsync([first, second, sameInstantOtherReviewer]);

        List<FeedbackCase> read = await ReadAllAsync(source, CaseWatermark.Start);

        read.Select(Describe).Should().BeEquivalentTo([Describe(first), Describe(second), Describe(sameInstantOtherReviewer)]);
        (await ReadAllAsync(source, Key(first))).Select(c => c.ValidatedLabel).Should().BeEquivalentTo(["cold", "covid"]);
        (await source.CountValidatedAfterAsync(Key(second))).Should().Be(0, "reviews at the same instant of the same case share a watermark");
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_CaseWithoutValidationTime_IsPlacedByItsCreationTime()
    {
        FeedbackCase pending = CaseTestData.Case("pending") with { Status = ValidationStatus.Pending, ValidatedAt = null, ValidatedLabel = null, CreatedAt = Instant };
        ICaseSource source = await CreateSourceAsync([pending]);

        (await ReadAllAsync(source, new CaseWatermark(Instant.AddTicks(-1), "zzz"))).Should().ContainSingle().Which.Id.Should().Be("pending");
        (await ReadAllAsync(source, new CaseWatermark(Instant, "pending"))).Should().BeEmpty();
        (await source.CountValidatedAfterAsync(new CaseWatermark(Instant, "pendin"))).Should().Be(1);
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_ReadTwiceAndAfterAnAdd_IsRepeatableAndSeesTheNewCase()
    {
        List<FeedbackCase> cases = CaseTestData.Many(200, seed: 7).ToList();
        ICaseSource source = await CreateSourceAsync(cases);
        CaseWatermark after = cases.Select(Key).Order().ElementAt(49);

        List<FeedbackCase> first = await ReadAllAsync(source, after);
        List<FeedbackCase> second = await ReadAllAsync(source, after);
        FeedbackCase added = CaseTestData.Case("added", validatedAt: CaseTestData.Now);
        await AddAsync(source, [added]);
        List<FeedbackCase> third = await ReadAllAsync(source, after);

        first.Should().HaveCount(150);
        second.Select(Describe).Should().Equal(first.Select(Describe), "two reads after the same watermark return the same cases in the same order");
        third.Select(Describe).Should().BeEquivalentTo(first.Select(Describe).Append(Describe(added)));
        (await source.CountValidatedAfterAsync(after)).Should().Be(151);
    }

    [Fact]
    public async Task AppendAsync_SameIdAgain_StoresTheCaseOnce()
    {
        ICaseSource source = await CreateSourceAsync([]);
        var writer = (IFeedbackCaseWriter)source;
        FeedbackCase first = CaseTestData.Case("prediction-1", label: "flu", validatedAt: Instant);

        (await writer.AppendAsync(first)).Should().BeTrue();
        // A retried outcome is reviewed again later, by the same or another reviewer: still the same case.
        (await writer.AppendAsync(first)).Should().BeFalse();
        (await writer.AppendAsync(CaseTestData.Case("prediction-1", label: "cold", validatedAt: Instant.AddMinutes(5), reviewer: "rev-2"))).Should().BeFalse();
        (await writer.AppendAsync(CaseTestData.Case("prediction-2", validatedAt: Instant.AddMinutes(1)))).Should().BeTrue();

        List<FeedbackCase> read = await ReadAllAsync(source, CaseWatermark.Start);
        read.Select(c => c.Id).Should().BeEquivalentTo(["prediction-1", "prediction-2"]);
        Describe(read.Single(c => c.Id == "prediction-1")).Should().Be(Describe(first), "the first append is kept as it came");
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_IdTheHostAddedBefore_StoresNothing()
    {
        ICaseSource source = await CreateSourceAsync([CaseTestData.Case("case-1", validatedAt: Instant)]);

        (await ((IFeedbackCaseWriter)source).AppendAsync(CaseTestData.Case("case-1", label: "cold", validatedAt: Instant.AddDays(1)))).Should().BeFalse();

        (await ReadAllAsync(source, CaseWatermark.Start)).Select(c => c.ValidatedLabel).Should().Equal("flu");
    }

    [Fact]
    public async Task AppendAsync_NullOrEmptyId_ThrowsAndStoresNothing()
    {
        ICaseSource source = await CreateSourceAsync([]);
        var writer = (IFeedbackCaseWriter)source;

        var empty = async () => await writer.AppendAsync(CaseTestData.Case(string.Empty));
        var missing = async () => await writer.AppendAsync(CaseTestData.Case("x") with { Id = null! });
        var none = async () => await writer.AppendAsync(null!);

        (await empty.Should().ThrowAsync<ArgumentException>()).WithParameterName("feedbackCase").WithMessage("*Id is null or empty*");
        (await missing.Should().ThrowAsync<ArgumentException>()).WithParameterName("feedbackCase");
        (await none.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("feedbackCase");
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(0);
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_EmptySource_ReturnsNothing()
    {
        ICaseSource source = await CreateSourceAsync([]);

        (await ReadAllAsync(source, CaseWatermark.Start)).Should().BeEmpty();
        (await source.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(0);
    }

    [Fact]
    public async Task ReadValidatedAfterAsync_CancelledToken_Throws()
    {
        ICaseSource source = await CreateSourceAsync(CaseTestData.Many(10).ToList());
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        Func<Task> read = () => ReadAllAsync(source, CaseWatermark.Start, cancellation.Token);
        Func<Task> count = async () => await source.CountValidatedAfterAsync(CaseWatermark.Start, cancellation.Token);

        await read.Should().ThrowAsync<OperationCanceledException>();
        await count.Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>Every field of a case, with doubles by their bits and times by UTC ticks and offset, so equal descriptions mean equal cases.</summary>
    protected static string Describe(FeedbackCase c) => string.Join(
        " | ",
        Text(c.Id),
        Text(c.ModelName),
        Text(c.ModelVersion),
        "features=" + string.Join(",", c.Input.Features.Select(Number)),
        "raw=" + (c.Input.RawScore is double raw ? Number(raw) : "none"),
        "scores=" + string.Join(",", c.Input.ClassScores.Select(s => Text(s.Key) + ":" + Number(s.Value))),
        Text(c.PredictedLabel),
        Number(c.PredictedConfidence),
        Text(c.ValidatedLabel),
        ((int)c.Status).ToString(CultureInfo.InvariantCulture),
        Text(c.ReviewerId),
        Number(c.ReviewerCertainty),
        Time(c.CreatedAt),
        c.ValidatedAt is { } validated ? Time(validated) : "none",
        Text(c.FreeText),
        "attributes=" + string.Join(",", c.Attributes.Select(a => Text(a.Key) + ":" + Text(a.Value))));

    protected static CaseWatermark Key(FeedbackCase c) => new(c.ValidatedAt ?? c.CreatedAt, c.Id);

    protected static async Task<List<FeedbackCase>> ReadAllAsync(ICaseSource source, CaseWatermark after, CancellationToken cancellationToken = default)
    {
        var cases = new List<FeedbackCase>();
        await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(after, cancellationToken))
        {
            cases.Add(feedbackCase);
        }

        return cases;
    }

    /// <summary>A case with every field set, awkward numbers and text included.</summary>
    protected static FeedbackCase FullCase() => new()
    {
        Id = "full-\U0001F600-é",
        ModelName = "triage",
        ModelVersion = "2.1.0-rc.1",
        Input = new CaseInput
        {
            Features = [-0.0, Math.PI, 1.0 / 3.0, double.Epsilon, double.MaxValue, -1e-300, 0.1 + 0.2],
            RawScore = -3.725290298461914E-09,
            ClassScores = new[] { ("flu", 0.7), ("cold", 0.2), ("\"quoted\"", 0.1) }.ToImmutableSortedDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal),
        },
        PredictedLabel = "flu",
        PredictedConfidence = 0.7000000000000001,
        ValidatedLabel = "cold",
        Status = ValidationStatus.Validated,
        ReviewerId = "dr-ångström",
        ReviewerCertainty = 0.95,
        CreatedAt = new DateTimeOffset(2024, 4, 30, 23, 59, 59, TimeSpan.FromHours(5.5)).AddTicks(1234567),
        ValidatedAt = new DateTimeOffset(2024, 5, 1, 1, 2, 3, TimeSpan.FromHours(-8)).AddTicks(7654321),
        FreeText = "Line one\nline two, \"quoted\", tab\tand 😀; {\"json\": true}",
        Attributes = new[] { ("ward", "B-12"), ("note", "ünïcödé"), ("empty", string.Empty) }.ToAttributes(),
    };

    /// <summary>A pending case with every optional field absent.</summary>
    protected static FeedbackCase SparseCase() => new()
    {
        Id = "sparse",
        ModelName = null!,
        ModelVersion = null!,
        Status = ValidationStatus.Pending,
        CreatedAt = Instant,
    };

    /// <summary>A case the collector must reject: non-finite numbers and an unknown status, kept as they came.</summary>
    protected static FeedbackCase MalformedCase() => CaseTestData.Case("malformed", validatedAt: Instant) with
    {
        Input = new CaseInput
        {
            Features = [double.PositiveInfinity, double.NaN],
            RawScore = double.NaN,
            ClassScores = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("flu", double.NegativeInfinity)]),
        },
        PredictedConfidence = double.NaN,
        ReviewerCertainty = double.PositiveInfinity,
        Status = (ValidationStatus)42,
    };

    private static string Text(string? value) => value is null ? "null" : "\"" + value + "\"";

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : BitConverter.DoubleToInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) =>
        time.UtcTicks.ToString(CultureInfo.InvariantCulture) + "@" + time.Offset.ToString("c", CultureInfo.InvariantCulture);
}

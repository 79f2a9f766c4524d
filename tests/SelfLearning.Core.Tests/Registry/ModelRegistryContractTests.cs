using System.Collections.Concurrent;
using SelfLearning.Registry;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Registry;

/// <summary>
/// The behaviour every <see cref="IModelRegistry"/> must have. Each implementation's test class derives
/// from this one (the SQLite test project compiles this file in by link).
/// </summary>
public abstract class ModelRegistryContractTests : IDisposable
{
    protected const string Model = "triage";

    protected ModelRegistryContractTests()
    {
        Clock = new ManualTimeProvider();
    }

    protected ManualTimeProvider Clock { get; }

    /// <summary>How many champion reads the concurrency test makes in total.</summary>
    protected virtual int ConcurrentReads => 1_000_000;

    protected static RegistryChange By(string actor, string? reason = null, long? expectedRevision = null)
        => new(actor, reason) { ExpectedRevision = expectedRevision };

    protected static byte[] ArtifactFor(int seed, int length = 256)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static ModelRegistration Registration(string name = Model, double accuracy = 0.8) => new()
    {
        Name = name,
        CreatedBy = "trainer-service",
        Metrics = new Dictionary<string, double> { ["accuracy"] = accuracy, ["ece"] = 0.05 },
    };

    /// <summary>Creates the registry under test; every call in one test shares the same store.</summary>
    protected abstract IModelRegistry CreateRegistry(TimeProvider timeProvider);

    /// <summary>Flips one byte of a stored artifact behind the registry's back.</summary>
    protected abstract void CorruptStoredArtifact(IModelRegistry registry, string name, int version);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    // Issue 12, point 7: SQLite turned lone surrogates into U+FFFD, merging two model names and changing tags.
    // The names are built in the test: xunit would replace a lone surrogate in inline data with U+FFFD.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetModelAsync_NameWithAnUnpairedSurrogate_ThrowsTheSameMessageInEveryRegistry(bool trailingHighSurrogate)
    {
        string name = trailingHighSurrogate ? "triage\uD800" : "\uDC00triage";
        var registry = CreateRegistry(Clock);
        int index = name.IndexOfAny(['\uD800', '\uDC00']);

        var thrown = await registry.Invoking(r => r.GetModelAsync(name)).Should().ThrowAsync<ArgumentException>();

        thrown.WithParameterName("name").Which.Message.Should()
            .StartWith($"'name' holds an unpaired UTF-16 surrogate U+{(int)name[index]:X4} at index {index}; names, tags and lineage must be well-formed Unicode");
    }

    [Fact]
    public async Task SetTagAsync_KeyOrValueWithAnUnpairedSurrogate_ThrowsNamingIt()
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1));

        (await registry.Invoking(r => r.SetTagAsync(Model, 1, "owner", "al\uD83Dice", By("ops"))).Should().ThrowAsync<ArgumentException>())
            .WithParameterName("value").Which.Message.Should().Contain("unpaired UTF-16 surrogate U+D83D at index 2");
        (await registry.Invoking(r => r.SetTagAsync(Model, 1, "own\uDE00er", "alice", By("ops"))).Should().ThrowAsync<ArgumentException>())
            .WithParameterName("key").Which.Message.Should().Contain("unpaired UTF-16 surrogate U+DE00 at index 3");
        (await registry.GetAsync(Model, 1)).Tags.Should().BeEmpty();
    }

    [Fact]
    public async Task RegisterAsync_NameAndTagWithPairedSurrogates_KeepsThemUnchanged()
    {
        var registry = CreateRegistry(Clock);
        const string Name = "triage-\U0001F600";

        await registry.RegisterAsync(Registration(Name), ArtifactFor(1));
        await registry.SetTagAsync(Name, 1, "owner", "\U0001F469\u200D\U0001F52C", By("ops"));

        (await registry.ListModelsAsync()).Should().Equal(Name);
        (await registry.GetAsync(Name, 1)).Tags["owner"].Should().Be("\U0001F469\u200D\U0001F52C");
    }

    [Fact]
    public void Registration_LineageWithAnUnpairedSurrogate_ThrowsNamingTheLineageField()
    {
        var act = () => Registration() with { Lineage = new ModelLineage { TrainingJobId = "job-\uD800" } };

        act.Should().Throw<ArgumentException>().WithParameterName("Lineage.TrainingJobId")
            .Which.Message.Should().Contain("unpaired UTF-16 surrogate U+D800 at index 4");
    }

    protected async Task<IModelRegistry> RegistryWithVersionsAsync(int count)
    {
        var registry = CreateRegistry(Clock);
        for (int i = 1; i <= count; i++)
        {
            await registry.RegisterAsync(Registration(accuracy: 0.7 + (0.01 * i)), ArtifactFor(i));
        }

        return registry;
    }

    [Fact]
    public async Task RegisterAsync_SeveralModels_NumbersVersionsFromOnePerModel()
    {
        var registry = CreateRegistry(Clock);
        var a1 = await registry.RegisterAsync(Registration("a"), ArtifactFor(1));
        var a2 = await registry.RegisterAsync(Registration("a"), ArtifactFor(2));
        var b1 = await registry.RegisterAsync(Registration("b"), ArtifactFor(3));

        new[] { a1.Version, a2.Version, b1.Version }.Should().Equal(1, 2, 1);
        (await registry.ListModelsAsync()).Should().Equal("a", "b");
        (await registry.GetModelAsync("a")).Revision.Should().Be(2);
    }

    [Fact]
    public async Task GetVersionsPageAsync_PagesNewestFirst_WithCountAndChampionOffThePage()
    {
        var registry = CreateRegistry(Clock);
        for (int v = 1; v <= 12; v++)
        {
            await registry.RegisterAsync(Registration(), ArtifactFor(v));
        }

        await registry.ActivateAsync(Model, 2, new RegistryChange("ops"));
        long revision = (await registry.GetModelAsync(Model)).Revision;

        ModelVersionsPage first = await registry.GetVersionsPageAsync(Model, maxCount: 5);
        first.Versions.Select(v => v.Version).Should().Equal(12, 11, 10, 9, 8);
        (first.Name, first.Revision, first.VersionCount, first.Champion?.Version, first.NextNewestVersion).Should().Be((Model, revision, 12, 2, 7));

        // Following NextNewestVersion reads every version once, down to 1.
        var all = new List<int>(first.Versions.Select(v => v.Version));
        for (ModelVersionsPage page = first; page.NextNewestVersion is int next;)
        {
            page = await registry.GetVersionsPageAsync(Model, next, 5);
            all.AddRange(page.Versions.Select(v => v.Version));
        }

        all.Should().Equal(Enumerable.Range(1, 12).Reverse());
        (await registry.GetVersionsPageAsync(Model, 3, 5)).Versions.Select(v => v.Version).Should().Equal(3, 2, 1);
        (await registry.GetVersionsPageAsync(Model, 40, 2)).Versions.Select(v => v.Version).Should().Equal([12, 11], "a newest version beyond the last reads from the last");
        (await registry.GetVersionsPageAsync(Model, 2, 1)).Versions.Single().Should().BeEquivalentTo(await registry.GetAsync(Model, 2));
    }

    [Theory]
    [InlineData(0, 10, "newestVersion")]
    [InlineData(null, 0, "maxCount")]
    [InlineData(null, 1001, "maxCount")]
    public async Task GetVersionsPageAsync_BadArguments_NameThem(int? newest, int maxCount, string parameter)
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1));
        await registry.Invoking(r => r.GetVersionsPageAsync(Model, newest, maxCount)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName(parameter);
        await registry.Invoking(r => r.GetVersionsPageAsync("unknown")).Should().ThrowAsync<KeyNotFoundException>();
    }

    [Fact]
    public async Task GetHistoryPageAsync_PagesNewestFirst_AndAgreesWithTheWholeHistory()
    {
        var registry = CreateRegistry(Clock);
        for (int v = 1; v <= 6; v++)
        {
            await registry.RegisterAsync(Registration(), ArtifactFor(v));
        }

        for (int v = 1; v <= 6; v++)
        {
            await registry.ActivateAsync(Model, v, new RegistryChange("ops", "promote " + v));
        }

        IReadOnlyList<StageTransition> whole = await registry.GetHistoryAsync(Model);
        whole.Count.Should().BeGreaterThan(7, "six registrations and six activations, each archiving the champion before");

        var paged = new List<StageTransition>();
        IReadOnlyList<StageTransition> page = await registry.GetHistoryPageAsync(Model, maxCount: 4);
        page.Select(t => t.Sequence).Should().Equal(whole.Count, whole.Count - 1, whole.Count - 2, whole.Count - 3);
        while (page.Count > 0)
        {
            paged.AddRange(page);
            page = page[^1].Sequence > 1 ? await registry.GetHistoryPageAsync(Model, page[^1].Sequence - 1, 4) : [];
        }

        paged.Should().BeEquivalentTo(whole.Reverse(), o => o.WithStrictOrdering(), "following the pages reads every transition once, newest first");
        (await registry.GetHistoryPageAsync(Model, 1_000, 2)).Select(t => t.Sequence).Should().Equal([whole.Count, whole.Count - 1], "a newest sequence beyond the last reads from the last");
        await registry.RegisterAsync(Registration("other-model"), ArtifactFor(9));
        (await registry.GetHistoryPageAsync("other-model")).Select(t => t.To).Should().Equal(ModelStage.Candidate);
    }

    [Theory]
    [InlineData(0L, 10, "newestSequence")]
    [InlineData(null, 0, "maxCount")]
    [InlineData(null, 1001, "maxCount")]
    public async Task GetHistoryPageAsync_BadArguments_NameThem(long? newest, int maxCount, string parameter)
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1));
        await registry.Invoking(r => r.GetHistoryPageAsync(Model, newest, maxCount)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName(parameter);
        await registry.Invoking(r => r.GetHistoryPageAsync("unknown")).Should().ThrowAsync<KeyNotFoundException>();
    }

    [Fact]
    public async Task RegisterAsync_FullMetadata_IsStoredAndReadBack()
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1));
        Clock.Advance(TimeSpan.FromMinutes(5));
        byte[] artifact = ArtifactFor(2, 1000);
        var registration = new ModelRegistration
        {
            Name = Model,
            CreatedBy = "alice",
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.91, ["log_loss"] = 0.123456789012345 },
            Parameters = new Dictionary<string, string> { ["method"] = "platt", ["seed"] = "42" },
            Tags = new Dictionary<string, string> { ["team"] = "cardiology" },
            Lineage = new ModelLineage
            {
                DatasetHash = "abc123",
                TrainerType = "platt",
                ParentVersion = 1,
                TrainingJobId = "job-7",
                TrainingWatermark = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567),
                HoldoutSize = 2_917,
                ReferenceScores = [0.1 + 0.2, 0.5, 1.0 / 3.0, 0.999999999999],
            },
            EvaluationReport = """{"gate":"passed","delta":0.03}""",
        };

        var registered = await registry.RegisterAsync(registration, artifact);
        var read = await registry.GetAsync(Model, 2);

        read.Should().BeEquivalentTo(registered);
        read.Version.Should().Be(2);
        read.Stage.Should().Be(ModelStage.Candidate);
        read.CreatedAt.Should().Be(Clock.GetUtcNow());
        read.CreatedBy.Should().Be("alice");
        read.Metrics.Should().Equal(registration.Metrics);
        read.Parameters.Should().Equal(registration.Parameters);
        read.Tags.Should().Equal(registration.Tags);
        read.Lineage.Should().Be(registration.Lineage, "every lineage field, typed ones included, reads back exactly");
        read.Lineage.TrainingWatermark!.Value.Offset.Should().Be(TimeSpan.FromHours(2));
        read.Lineage.ReferenceScores.Should().Equal(0.1 + 0.2, 0.5, 1.0 / 3.0, 0.999999999999);
        read.EvaluationReport.Should().Be(registration.EvaluationReport);
        read.ArtifactSize.Should().Be(1000);
        read.ArtifactSha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(artifact)));
        read.Aliases.Should().BeEmpty();
    }

    [Fact]
    public async Task RegisterAsync_ParentVersionMissing_ThrowsAndRegistersNothing()
    {
        var registry = await RegistryWithVersionsAsync(1);
        var registration = Registration() with { Lineage = new ModelLineage { ParentVersion = 5 } };

        var act = () => registry.RegisterAsync(registration, ArtifactFor(9));

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("registration");
        (await registry.GetModelAsync(Model)).Versions.Should().HaveCount(1);
    }

    [Fact]
    public async Task OpenArtifactAsync_Intact_ReturnsTheRegisteredBytes()
    {
        var registry = await RegistryWithVersionsAsync(3);

        var bytes = await registry.OpenArtifactAsync(Model, 2);

        bytes.ToArray().Should().Equal(ArtifactFor(2));
    }

    [Fact]
    public async Task OpenArtifactAsync_EmptyArtifact_RoundTrips()
    {
        var registry = CreateRegistry(Clock);
        var version = await registry.RegisterAsync(Registration(), ReadOnlyMemory<byte>.Empty);

        (await registry.OpenArtifactAsync(Model, version.Version)).Length.Should().Be(0);
    }

    [Fact]
    public async Task OpenArtifactAsync_FlippedByte_ThrowsArtifactIntegrityException()
    {
        var registry = await RegistryWithVersionsAsync(2);
        CorruptStoredArtifact(registry, Model, 2);

        var act = () => registry.OpenArtifactAsync(Model, 2);

        var thrown = await act.Should().ThrowAsync<ArtifactIntegrityException>();
        thrown.Which.ModelName.Should().Be(Model);
        thrown.Which.Version.Should().Be(2);
        thrown.Which.ExpectedSha256.Should().Be((await registry.GetAsync(Model, 2)).ArtifactSha256);
        thrown.Which.ActualSha256.Should().NotBe(thrown.Which.ExpectedSha256);
        (await registry.OpenArtifactAsync(Model, 1)).ToArray().Should().Equal(ArtifactFor(1));
    }

    [Fact]
    public async Task GetAsync_UnknownModelOrVersion_ThrowsKeyNotFoundNamingIt()
    {
        var registry = await RegistryWithVersionsAsync(1);

        await registry.Invoking(r => r.GetAsync("nope", 1)).Should().ThrowAsync<KeyNotFoundException>().WithMessage("*'nope'*");
        await registry.Invoking(r => r.GetAsync(Model, 7)).Should().ThrowAsync<KeyNotFoundException>().WithMessage("*version 7*");
        (await registry.Invoking(r => r.GetAsync(Model, 0)).Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("version");
        (await registry.GetChampionAsync("nope")).Should().BeNull();
        (await registry.GetHistoryAsync("nope")).Should().BeEmpty();
    }

    public static TheoryData<string> BadNames => new()
    {
        "a/b",
        "a\\b",
        "..",
        ".",
        "../etc",
        "x..y",
        "tab\there",
        "nul\0",
        "new\nline",
        "rtl\u202Eoverride",
        "c:drive",
        " leading",
        "trailing ",
        "",
        new string('m', RegistryNames.MaxNameLength + 1),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task ModelName_Invalid_IsRejectedNamingTheArgument(string bad)
    {
        var registry = await RegistryWithVersionsAsync(1);

        (await registry.Invoking(r => r.GetChampionAsync(bad)).Should().ThrowAsync<ArgumentException>()).WithParameterName("name");
        (await registry.Invoking(r => r.ActivateAsync(bad, 1, By("ops"))).Should().ThrowAsync<ArgumentException>()).WithParameterName("name");
        var build = () => Registration(bad);
        build.Should().Throw<ArgumentException>().WithParameterName("Name");
        (await registry.Invoking(r => r.SetAliasAsync(Model, bad, 1, By("ops"))).Should().ThrowAsync<ArgumentException>()).WithParameterName("aliasName");
        (await registry.Invoking(r => r.SetTagAsync(Model, 1, bad, "v", By("ops"))).Should().ThrowAsync<ArgumentException>()).WithParameterName("key");
        (await registry.ListModelsAsync()).Should().Equal(Model);
    }

    [Fact]
    public async Task ModelName_LongestAllowed_IsAccepted()
    {
        var registry = CreateRegistry(Clock);
        string name = new('m', RegistryNames.MaxNameLength);

        var version = await registry.RegisterAsync(Registration(name), ArtifactFor(1));

        (await registry.GetAsync(name, version.Version)).Name.Should().Be(name);
    }

    [Fact]
    public async Task ActivateAsync_NewChampion_ArchivesPreviousAndRecordsWhoWhenWhy()
    {
        var registry = await RegistryWithVersionsAsync(2);
        await registry.ActivateAsync(Model, 1, By("alice", "first release"));
        Clock.Advance(TimeSpan.FromHours(1));

        var champion = await registry.ActivateAsync(Model, 2, By("bob", "gate passed"));

        champion.Stage.Should().Be(ModelStage.Champion);
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(2);
        (await registry.GetAsync(Model, 1)).Stage.Should().Be(ModelStage.Archived);
        var history = await registry.GetHistoryAsync(Model);
        history.Select(t => t.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var last = history.TakeLast(2).ToList();
        last.Select(t => (t.Version, t.From, t.To)).Should().Equal(
            (1, ModelStage.Champion, ModelStage.Archived), (2, ModelStage.Candidate, ModelStage.Champion));
        last.Should().AllSatisfy(t =>
        {
            t.Actor.Should().Be("bob");
            t.Reason.Should().Be("gate passed");
            t.At.Should().Be(Clock.GetUtcNow());
            t.Operation.Should().Be(RegistryOperation.Activate);
            t.Revision.Should().Be(4);
        });
    }

    [Fact]
    public async Task ActivateAsync_CurrentChampion_ChangesNothing()
    {
        var registry = await RegistryWithVersionsAsync(1);
        await registry.ActivateAsync(Model, 1, By("ops"));
        long revision = (await registry.GetModelAsync(Model)).Revision;
        int raised = 0;
        registry.Changed += (_, _) => raised++;

        var again = await registry.ActivateAsync(Model, 1, By("ops"));

        again.Stage.Should().Be(ModelStage.Champion);
        (await registry.GetModelAsync(Model)).Revision.Should().Be(revision);
        raised.Should().Be(0);
    }

    [Fact]
    public async Task DeactivateAsync_Champion_LeavesNoChampion()
    {
        var registry = await RegistryWithVersionsAsync(1);
        await registry.ActivateAsync(Model, 1, By("ops"));

        var archived = await registry.DeactivateAsync(Model, By("ops", "incident"));

        archived.Stage.Should().Be(ModelStage.Archived);
        (await registry.GetChampionAsync(Model)).Should().BeNull();
        (await registry.GetModelAsync(Model)).Champion.Should().BeNull();
        await registry.Invoking(r => r.DeactivateAsync(Model, By("ops"))).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task RollBackAsync_TwiceAfterThreeActivations_GoesBackOneChampionEachTime()
    {
        var registry = await RegistryWithVersionsAsync(3);
        for (int v = 1; v <= 3; v++)
        {
            await registry.ActivateAsync(Model, v, By("ops"));
        }

        var first = await registry.RollBackAsync(Model, By("monitor", "accuracy regression"));
        var second = await registry.RollBackAsync(Model, By("monitor", "still bad"));

        first.Version.Should().Be(2);
        second.Version.Should().Be(1);
        var model = await registry.GetModelAsync(Model);
        model.Versions.Select(v => v.Stage).Should().Equal(ModelStage.Champion, ModelStage.Rejected, ModelStage.Rejected);
        var history = await registry.GetHistoryAsync(Model);
        history[^1].Should().Match<StageTransition>(t => t.Version == 1 && t.To == ModelStage.Champion && t.Operation == RegistryOperation.RollBack && t.Actor == "monitor");
    }

    [Fact]
    public async Task RollBackAsync_NothingEarlier_ThrowsAndChangesNothing()
    {
        var registry = await RegistryWithVersionsAsync(2);
        await registry.Invoking(r => r.RollBackAsync(Model, By("ops"))).Should().ThrowAsync<InvalidOperationException>();
        await registry.ActivateAsync(Model, 1, By("ops"));
        var before = await registry.GetModelAsync(Model);

        await registry.Invoking(r => r.RollBackAsync(Model, By("ops"))).Should().ThrowAsync<InvalidOperationException>();

        var after = await registry.GetModelAsync(Model);
        after.Revision.Should().Be(before.Revision);
        after.Champion!.Version.Should().Be(1);
    }

    [Fact]
    public async Task RollBackAsync_AfterDeactivationAndNewActivation_RestoresTheDeactivatedChampion()
    {
        var registry = await RegistryWithVersionsAsync(2);
        await registry.ActivateAsync(Model, 1, By("ops"));
        await registry.DeactivateAsync(Model, By("ops"));
        await registry.ActivateAsync(Model, 2, By("ops"));

        (await registry.RollBackAsync(Model, By("ops"))).Version.Should().Be(1);
    }

    [Fact]
    public async Task RollBackAsync_PreviousChampionRejectedSince_SkipsIt()
    {
        var registry = await RegistryWithVersionsAsync(3);
        for (int v = 1; v <= 3; v++)
        {
            await registry.ActivateAsync(Model, v, By("ops"));
        }

        await registry.SetStageAsync(Model, 2, ModelStage.Rejected, By("security", "leaked data"));

        (await registry.RollBackAsync(Model, By("ops"))).Version.Should().Be(1);
    }

    [Fact]
    public async Task GetChampionAtAsync_AnyInstant_AnswersFromHistory()
    {
        var registry = await RegistryWithVersionsAsync(3);
        var t0 = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromDays(1));
        await registry.ActivateAsync(Model, 1, By("ops"));
        var t1 = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromDays(1));
        await registry.ActivateAsync(Model, 2, By("ops"));
        Clock.Advance(TimeSpan.FromDays(1));
        await registry.DeactivateAsync(Model, By("ops"));
        var t3 = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromDays(1));
        await registry.ActivateAsync(Model, 3, By("ops"));
        Clock.Advance(TimeSpan.FromDays(1));
        await registry.RollBackAsync(Model, By("ops"));

        (await registry.GetChampionAtAsync(Model, t0)).Should().BeNull();
        (await registry.GetChampionAtAsync(Model, t1))!.Version.Should().Be(1);
        (await registry.GetChampionAtAsync(Model, t1 + TimeSpan.FromHours(12)))!.Version.Should().Be(1);
        (await registry.GetChampionAtAsync(Model, t1 + TimeSpan.FromDays(1.5)))!.Version.Should().Be(2);
        (await registry.GetChampionAtAsync(Model, t3)).Should().BeNull();
        (await registry.GetChampionAtAsync(Model, t3 + TimeSpan.FromDays(1.5)))!.Version.Should().Be(3);
        (await registry.GetChampionAtAsync(Model, Clock.GetUtcNow()))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task SetStageAsync_CandidateToChallengerToRejected_IsRecorded()
    {
        var registry = await RegistryWithVersionsAsync(1);

        (await registry.SetStageAsync(Model, 1, ModelStage.Challenger, By("canary"))).Stage.Should().Be(ModelStage.Challenger);
        (await registry.SetStageAsync(Model, 1, ModelStage.Rejected, By("canary", "lost"))).Stage.Should().Be(ModelStage.Rejected);

        (await registry.GetHistoryAsync(Model)).Select(t => (t.From, t.To, t.Operation)).Should().Equal(
            (null, ModelStage.Candidate, RegistryOperation.Register),
            (ModelStage.Candidate, ModelStage.Challenger, RegistryOperation.SetStage),
            (ModelStage.Challenger, ModelStage.Rejected, RegistryOperation.SetStage));
    }

    [Fact]
    public async Task SetStageAsync_IntoOrOutOfChampion_IsRefused()
    {
        var registry = await RegistryWithVersionsAsync(2);
        await registry.ActivateAsync(Model, 1, By("ops"));

        await registry.Invoking(r => r.SetStageAsync(Model, 2, ModelStage.Champion, By("ops"))).Should().ThrowAsync<InvalidOperationException>();
        await registry.Invoking(r => r.SetStageAsync(Model, 1, ModelStage.Archived, By("ops"))).Should().ThrowAsync<InvalidOperationException>();
        (await registry.GetModelAsync(Model)).Versions.Select(v => v.Stage).Should().Equal(ModelStage.Champion, ModelStage.Candidate);
    }

    [Fact]
    public async Task ExpectedRevision_Stale_ThrowsConflictAndChangesNothing()
    {
        var registry = await RegistryWithVersionsAsync(2);
        var before = await registry.GetModelAsync(Model);
        var historyBefore = await registry.GetHistoryAsync(Model);
        long stale = before.Revision - 1;
        int raised = 0;
        registry.Changed += (_, _) => raised++;

        var writes = new Func<Task>[]
        {
            () => registry.ActivateAsync(Model, 1, By("ops", expectedRevision: stale)),
            () => registry.SetStageAsync(Model, 1, ModelStage.Challenger, By("ops", expectedRevision: stale)),
            () => registry.SetAliasAsync(Model, "prod", 1, By("ops", expectedRevision: stale)),
            () => registry.SetTagAsync(Model, 1, "k", "v", By("ops", expectedRevision: stale)),
            () => registry.SetEvaluationReportAsync(Model, 1, "{}", By("ops", expectedRevision: stale)),
            () => registry.RegisterAsync(Registration(), ArtifactFor(3), expectedRevision: stale),
        };
        foreach (var write in writes)
        {
            var thrown = await write.Should().ThrowAsync<RegistryConcurrencyException>();
            thrown.Which.ExpectedRevision.Should().Be(stale);
            thrown.Which.ActualRevision.Should().Be(before.Revision);
            thrown.Which.ModelName.Should().Be(Model);
        }

        (await registry.GetModelAsync(Model)).Should().BeEquivalentTo(before);
        (await registry.GetHistoryAsync(Model)).Should().BeEquivalentTo(historyBefore);
        raised.Should().Be(0);
    }

    [Fact]
    public async Task ExpectedRevision_Current_CommitsAndAdvancesRevisionByOne()
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1), expectedRevision: 0);
        var model = await registry.GetModelAsync(Model);

        await registry.ActivateAsync(Model, 1, By("ops", expectedRevision: model.Revision));

        (await registry.GetModelAsync(Model)).Revision.Should().Be(model.Revision + 1);
        await registry.Invoking(r => r.DeactivateAsync(Model, By("ops", expectedRevision: model.Revision)))
            .Should().ThrowAsync<RegistryConcurrencyException>();
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task Aliases_SetMoveRemove_FollowTheVersion()
    {
        var registry = await RegistryWithVersionsAsync(2);

        await registry.SetAliasAsync(Model, "prod", 1, By("ops"));
        await registry.SetAliasAsync(Model, "blue", 1, By("ops"));
        (await registry.GetByAliasAsync(Model, "prod")).Version.Should().Be(1);
        (await registry.GetAsync(Model, 1)).Aliases.Should().Equal("blue", "prod");

        var moved = await registry.SetAliasAsync(Model, "prod", 2, By("ops"));
        moved.Aliases.Should().Equal("prod");
        (await registry.GetAsync(Model, 1)).Aliases.Should().Equal("blue");
        (await registry.GetByAliasAsync(Model, "prod")).Version.Should().Be(2);

        (await registry.RemoveAliasAsync(Model, "prod", By("ops"))).Should().BeTrue();
        (await registry.RemoveAliasAsync(Model, "prod", By("ops"))).Should().BeFalse();
        (await registry.GetAsync(Model, 2)).Aliases.Should().BeEmpty();
        await registry.Invoking(r => r.GetByAliasAsync(Model, "prod")).Should().ThrowAsync<KeyNotFoundException>().WithMessage("*'prod'*");
    }

    [Fact]
    public async Task Aliases_NumericOrUnknownVersion_AreRefused()
    {
        var registry = await RegistryWithVersionsAsync(1);

        (await registry.Invoking(r => r.SetAliasAsync(Model, "2", 1, By("ops"))).Should().ThrowAsync<ArgumentException>()).WithParameterName("aliasName");
        await registry.Invoking(r => r.SetAliasAsync(Model, "prod", 9, By("ops"))).Should().ThrowAsync<KeyNotFoundException>();
    }

    [Fact]
    public async Task Tags_SetReplaceRemove_AreStored()
    {
        var registry = await RegistryWithVersionsAsync(1);

        await registry.SetTagAsync(Model, 1, "owner", "alice", By("ops"));
        await registry.SetTagAsync(Model, 1, "owner", "bob", By("ops"));
        await registry.SetTagAsync(Model, 1, "note", "line1\nline2", By("ops"));
        (await registry.GetAsync(Model, 1)).Tags.Should().BeEquivalentTo(new Dictionary<string, string> { ["owner"] = "bob", ["note"] = "line1\nline2" });

        await registry.RemoveTagAsync(Model, 1, "owner", By("ops"));
        long revision = (await registry.GetModelAsync(Model)).Revision;
        await registry.RemoveTagAsync(Model, 1, "owner", By("ops"));

        (await registry.GetAsync(Model, 1)).Tags.Keys.Should().Equal("note");
        (await registry.GetModelAsync(Model)).Revision.Should().Be(revision);
    }

    [Fact]
    public async Task SetEvaluationReportAsync_Json_IsStoredAndInvalidJsonRefused()
    {
        var registry = await RegistryWithVersionsAsync(1);
        const string Report = """{"decision":"reject","p":0.41}""";

        (await registry.SetEvaluationReportAsync(Model, 1, Report, By("gate"))).EvaluationReport.Should().Be(Report);
        (await registry.GetAsync(Model, 1)).EvaluationReport.Should().Be(Report);
        (await registry.Invoking(r => r.SetEvaluationReportAsync(Model, 1, "{not json", By("gate"))).Should().ThrowAsync<ArgumentException>())
            .WithParameterName("reportJson");
    }

    [Fact]
    public async Task CompareMetricsAsync_TwoVersions_ListsEveryMetricWithDifference()
    {
        var registry = CreateRegistry(Clock);
        await registry.RegisterAsync(Registration() with { Metrics = new Dictionary<string, double> { ["accuracy"] = 0.80, ["ece"] = 0.10 } }, ArtifactFor(1));
        await registry.RegisterAsync(Registration() with { Metrics = new Dictionary<string, double> { ["accuracy"] = 0.85, ["brier"] = 0.2 } }, ArtifactFor(2));

        var comparison = await registry.CompareMetricsAsync(Model, 1, 2);

        comparison.Metrics.Select(m => m.Metric).Should().Equal("accuracy", "brier", "ece");
        comparison.Metrics[0].Difference.Should().BeApproximately(0.05, 1e-12);
        comparison.Metrics[1].Baseline.Should().BeNull();
        comparison.Metrics[1].Difference.Should().BeNull();
        comparison.Metrics[2].Candidate.Should().BeNull();
    }

    [Fact]
    public async Task Changed_AfterCommit_ReportsModelRevisionAndKind()
    {
        var registry = await RegistryWithVersionsAsync(1);
        var seen = new List<(string, long, ModelChangeKind, ModelStage?)>();
        registry.Changed += (_, e) => seen.Add((e.Name, e.Revision, e.Kind, registry.GetChampionAsync(Model).Result?.Stage));

        await registry.ActivateAsync(Model, 1, By("ops"));
        await registry.SetTagAsync(Model, 1, "k", "v", By("ops"));

        seen.Should().Equal((Model, 2L, ModelChangeKind.ChampionChanged, ModelStage.Champion), (Model, 3L, ModelChangeKind.MetadataChanged, ModelStage.Champion));
    }

    [Fact]
    public async Task Changed_HandlerThrows_WriteStillSucceeds()
    {
        var registry = await RegistryWithVersionsAsync(1);
        registry.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");

        var champion = await registry.ActivateAsync(Model, 1, By("ops"));

        champion.Stage.Should().Be(ModelStage.Champion);
    }

    [Fact]
    public async Task Concurrency_ActivateAndRollBackWhileReading_AlwaysExactlyOneChampion()
    {
        const int Versions = 6;
        const int Writers = 8;
        const int Readers = 8;
        var registry = await RegistryWithVersionsAsync(Versions);
        await registry.ActivateAsync(Model, 1, By("ops"));
        int readsPerReader = ConcurrentReads / Readers;
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        long snapshotsChecked = 0;
        long writes = 0;

        var readers = Enumerable.Range(0, Readers).Select(r => OnOwnThread(async () =>
        {
            for (int i = 0; i < readsPerReader; i++)
            {
                var champion = await registry.GetChampionAsync(Model);
                if (champion is null || champion.Stage != ModelStage.Champion)
                {
                    failures.Enqueue($"GetChampionAsync returned {champion?.Stage.ToString() ?? "no champion"}");
                }

                if (i % 64 == 0)
                {
                    var model = await registry.GetModelAsync(Model);
                    int champions = model.Versions.Count(v => v.Stage == ModelStage.Champion);
                    if (champions != 1)
                    {
                        failures.Enqueue($"snapshot at revision {model.Revision} lists {champions} champions");
                    }

                    Interlocked.Increment(ref snapshotsChecked);
                }
            }
        })).ToArray();

        var writers = Enumerable.Range(0, Writers).Select(w => OnOwnThread(async () =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (random.Next(3) == 0)
                    {
                        await registry.RollBackAsync(Model, By($"writer-{w}"));
                    }
                    else
                    {
                        await registry.ActivateAsync(Model, random.Next(1, Versions + 1), By($"writer-{w}"));
                    }

                    Interlocked.Increment(ref writes);
                }
                catch (InvalidOperationException e) when (e is not RegistryConcurrencyException && e.Message.Contains("roll back", StringComparison.Ordinal))
                {
                    // Nothing left to roll back to at this moment: a legitimate outcome under contention.
                }
            }
        })).ToArray();

        await Task.WhenAll(readers);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        failures.Should().BeEmpty();
        Interlocked.Read(ref writes).Should().BeGreaterThan(Writers, "the writers must actually have run during the reads");
        Interlocked.Read(ref snapshotsChecked).Should().BeGreaterThan(0);
        var history = await registry.GetHistoryAsync(Model);
        history.Select(t => t.Sequence).Should().Equal(Enumerable.Range(1, history.Count).Select(i => (long)i));
        var final = await registry.GetModelAsync(Model);
        final.Versions.Count(v => v.Stage == ModelStage.Champion).Should().Be(1);
        ReplayChampion(history).Should().Be(final.Champion!.Version, "the history must explain the final champion");
    }

    [Fact]
    public async Task Concurrency_SixteenThreadsRegisterHundredEach_AllVersionNumbersDistinct()
    {
        const int Threads = 16;
        const int PerThread = 100;
        var registry = CreateRegistry(Clock);
        var numbers = new ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => OnOwnThread(async () =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                var version = await registry.RegisterAsync(Registration(), ArtifactFor((t * PerThread) + i, 32));
                numbers.Add(version.Version);
            }
        })));

        numbers.Order().Should().Equal(Enumerable.Range(1, Threads * PerThread), "every registration got its own number and none was lost");
        var model = await registry.GetModelAsync(Model);
        model.Versions.Select(v => v.Version).Should().Equal(Enumerable.Range(1, Threads * PerThread));
        model.Revision.Should().Be(Threads * PerThread);
    }

    /// <summary>
    /// Runs a loop on a dedicated thread, so sixteen loops really run at once on a small thread pool
    /// (the registries complete synchronously, so the loop never leaves its thread).
    /// </summary>
    private static Task OnOwnThread(Func<Task> loop)
        => Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static int? ReplayChampion(IReadOnlyList<StageTransition> history)
    {
        int? champion = null;
        foreach (var t in history)
        {
            if (t.To == ModelStage.Champion)
            {
                champion.Should().BeNull("a version can only become champion once the previous one has left");
                champion = t.Version;
            }
            else if (t.From == ModelStage.Champion)
            {
                champion.Should().Be(t.Version);
                champion = null;
            }
        }

        return champion;
    }
}

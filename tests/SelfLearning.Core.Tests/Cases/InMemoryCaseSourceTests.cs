using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class InMemoryCaseSourceTests : CaseSourceContractTests
{
    protected override ValueTask<ICaseSource> CreateSourceAsync(IReadOnlyList<FeedbackCase> cases) =>
        ValueTask.FromResult<ICaseSource>(new InMemoryCaseSource(cases));

    protected override ValueTask AddAsync(ICaseSource source, IReadOnlyList<FeedbackCase> cases)
    {
        ((InMemoryCaseSource)source).AddRange(cases);
        return ValueTask.CompletedTask;
    }
}

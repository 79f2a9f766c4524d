using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class InMemoryTrainingJobStoreTests : TrainingJobStoreContractTests
{
    protected override int WritesPerWriter => 500;

    protected override ITrainingJobStore CreateStore() => new InMemoryTrainingJobStore();
}

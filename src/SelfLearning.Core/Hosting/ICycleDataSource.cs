namespace SelfLearning.Hosting;

/// <summary>Where a cycle gets a model's validated cases: counted for the trigger, frozen and split for training.</summary>
internal interface ICycleDataSource
{
    /// <summary>Counts the cases of <paramref name="modelName"/> validated after <paramref name="watermark"/>.</summary>
    ValueTask<long> CountNewCasesAsync(string modelName, string? watermark, CancellationToken cancellationToken);

    /// <summary>Freezes the cases validated after <paramref name="watermark"/> into a dataset with a deterministic holdout.</summary>
    ValueTask<CycleDataset> LoadAsync(string modelName, string? watermark, CancellationToken cancellationToken);
}

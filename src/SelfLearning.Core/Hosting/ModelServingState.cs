namespace SelfLearning.Hosting;

/// <summary>One model's serving snapshot, replaced as a whole by the loop and read lock-free by the prediction service.</summary>
internal sealed class ModelServingState(string modelName)
{
    private ServingSnapshot? _snapshot;

    public string ModelName { get; } = modelName;

    public ServingSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    public void Publish(ServingSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}

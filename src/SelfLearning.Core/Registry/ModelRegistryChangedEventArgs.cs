namespace SelfLearning.Registry;

/// <summary>Says that a write to a model committed.</summary>
public sealed class ModelRegistryChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The model written to.</param>
    /// <param name="revision">The model revision the write committed as.</param>
    /// <param name="kind">What kind of write it was.</param>
    public ModelRegistryChangedEventArgs(string name, long revision, ModelChangeKind kind)
    {
        Name = name;
        Revision = revision;
        Kind = kind;
    }

    /// <summary>Gets the model written to.</summary>
    public string Name { get; }

    /// <summary>Gets the model revision the write committed as.</summary>
    public long Revision { get; }

    /// <summary>Gets what kind of write it was.</summary>
    public ModelChangeKind Kind { get; }
}

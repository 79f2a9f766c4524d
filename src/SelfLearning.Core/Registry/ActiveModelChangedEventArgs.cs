namespace SelfLearning.Registry;

/// <summary>Says that an <see cref="ActiveModelProvider{TPredictor}"/> now serves a different champion.</summary>
/// <typeparam name="TPredictor">What the host's loader builds from an artifact.</typeparam>
public sealed class ActiveModelChangedEventArgs<TPredictor> : EventArgs
{
    internal ActiveModelChangedEventArgs(ActiveModel<TPredictor>? previous, ActiveModel<TPredictor>? current)
    {
        Previous = previous;
        Current = current;
    }

    /// <summary>Gets what was served before, or <see langword="null"/> when nothing was.</summary>
    public ActiveModel<TPredictor>? Previous { get; }

    /// <summary>Gets what is served now, or <see langword="null"/> when the model has no champion any more.</summary>
    public ActiveModel<TPredictor>? Current { get; }
}

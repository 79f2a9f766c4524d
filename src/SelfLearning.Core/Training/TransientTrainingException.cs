namespace SelfLearning.Training;

/// <summary>
/// Thrown by a trainer for a failure that may pass on its own (a data source briefly unavailable, a lock held);
/// the engine retries such failures with exponential back-off. Any other exception fails the job at once.
/// </summary>
public sealed class TransientTrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransientTrainingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public TransientTrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TransientTrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace SelfLearning.Registry;

/// <summary>
/// Who makes a change to a model, why, and (optionally) which state of the model they based it on.
/// </summary>
/// <remarks>
/// Set <see cref="ExpectedRevision"/> to the <see cref="RegisteredModel.Revision"/> you read before
/// deciding; if another writer changed the model since, the write fails with
/// <see cref="RegistryConcurrencyException"/> and changes nothing.
/// </remarks>
public sealed record RegistryChange
{
    private readonly string _actor = string.Empty;
    private readonly string? _reason;
    private readonly long? _expectedRevision;

    /// <summary>Initializes a change made by <paramref name="actor"/> for <paramref name="reason"/>.</summary>
    /// <param name="actor">Who makes the change (a user or a service identity).</param>
    /// <param name="reason">Why, for the audit history; optional.</param>
    public RegistryChange(string actor, string? reason = null)
    {
        Actor = actor;
        Reason = reason;
    }

    /// <summary>Gets who makes the change.</summary>
    public string Actor
    {
        get => _actor;
        init
        {
            RegistryNames.ValidateText(value, nameof(Actor));
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The actor must not be empty or white space.", nameof(Actor));
            }

            _actor = value;
        }
    }

    /// <summary>Gets why the change is made, recorded in the transition history.</summary>
    public string? Reason
    {
        get => _reason;
        init => _reason = value is null ? null : RegistryNames.ValidateText(value, nameof(Reason));
    }

    /// <summary>
    /// Gets the model revision the change is based on, or <see langword="null"/> to apply it to whatever
    /// the current revision is (still atomically). A model that does not exist yet has revision 0.
    /// </summary>
    public long? ExpectedRevision
    {
        get => _expectedRevision;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ExpectedRevision), value, $"The expected revision must not be negative, but is {value}.");
            }

            _expectedRevision = value;
        }
    }
}

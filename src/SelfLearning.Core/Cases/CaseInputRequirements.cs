using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// What a model's trainer needs from a case's <see cref="CaseInput"/>, so that <see cref="CaseCollector"/> rejects a
/// case the trainer could not use when it is collected, with its own counted reason, and never at training. Immutable.
/// </summary>
/// <remarks>
/// <para>
/// Whatever the requirements, a case whose input holds a non-finite number (NaN or an infinity, in any part) is
/// rejected as <see cref="CaseRejectionReason.NonFiniteInput"/>. A case that lacks a required part is rejected as
/// <see cref="CaseRejectionReason.MissingInput"/>, and one whose features are not <see cref="FeatureCount"/> long as
/// <see cref="CaseRejectionReason.FeatureCountMismatch"/>.
/// </para>
/// <para>
/// A calibrator trained on the host's confidence needs no input at all (<see cref="None"/>): the confidence travels
/// in <see cref="FeedbackCase.PredictedConfidence"/>. One trained on raw scores needs <see cref="RawScore"/>; a
/// feature model needs <see cref="Features(int?)"/>.
/// </para>
/// </remarks>
public sealed record CaseInputRequirements
{
    /// <summary>Gets requirements that ask for no input part: a case without input is kept.</summary>
    public static CaseInputRequirements None { get; } = new();

    /// <summary>
    /// Gets requirements that ask for at least one input part, whichever: a case without input is rejected as
    /// <see cref="CaseRejectionReason.MissingInput"/>. The default of a <see cref="CaseCollector"/> that knows
    /// nothing of its models' trainers.
    /// </summary>
    public static CaseInputRequirements AnyPart { get; } = new() { RequiresAnyPart = true };

    /// <summary>Gets requirements that ask for the host model's raw score (<see cref="CaseInput.RawScore"/>).</summary>
    public static CaseInputRequirements RawScore { get; } = new() { RequiredParts = CaseInputParts.RawScore };

    /// <summary>Gets requirements that ask for the host model's per-class scores (<see cref="CaseInput.ClassScores"/>).</summary>
    public static CaseInputRequirements ClassScores { get; } = new() { RequiredParts = CaseInputParts.ClassScores };

    /// <summary>Gets the input parts a case must have; <see cref="CaseInputParts.None"/> asks for none in particular.</summary>
    public CaseInputParts RequiredParts { get; private init; }

    /// <summary>Gets the number of features every case must have, or <see langword="null"/> for any number (when features are required, at least one).</summary>
    public int? FeatureCount { get; private init; }

    /// <summary>Gets a value indicating whether a case must have at least one input part, even when <see cref="RequiredParts"/> names none.</summary>
    public bool RequiresAnyPart { get; private init; }

    /// <summary>Requirements that ask for numeric features, of exactly <paramref name="count"/> values when given.</summary>
    /// <param name="count">The number of features every case must have, or <see langword="null"/> for any number above zero.</param>
    /// <returns>The requirements.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is zero or negative.</exception>
    public static CaseInputRequirements Features(int? count = null)
    {
        if (count is int n)
        {
            Guard.Positive(n, nameof(count));
        }

        return new() { RequiredParts = CaseInputParts.Features, FeatureCount = count };
    }

    /// <summary>These requirements, also asking for <paramref name="parts"/>.</summary>
    /// <param name="parts">The further parts a case must have.</param>
    /// <returns>The combined requirements.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> holds a flag <see cref="CaseInputParts"/> does not define.</exception>
    public CaseInputRequirements WithParts(CaseInputParts parts)
    {
        const CaseInputParts all = CaseInputParts.Features | CaseInputParts.RawScore | CaseInputParts.ClassScores;
        if ((parts & ~all) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"'{nameof(parts)}' holds undefined flags ({(int)parts}); the parts are {all}.");
        }

        return this with { RequiredParts = RequiredParts | parts };
    }

    /// <summary>Judges <paramref name="input"/>: <see langword="null"/> when a trainer with these requirements can use it, else why not.</summary>
    /// <param name="input">A case's input.</param>
    /// <returns><see langword="null"/>, <see cref="CaseRejectionReason.NonFiniteInput"/>, <see cref="CaseRejectionReason.MissingInput"/> or <see cref="CaseRejectionReason.FeatureCountMismatch"/>.</returns>
    public CaseRejectionReason? Check(CaseInput input)
    {
        Guard.NotNull(input);
        if (!input.IsFinite)
        {
            return CaseRejectionReason.NonFiniteInput;
        }

        bool missing =
            (RequiresAnyPart && input.IsEmpty) ||
            ((RequiredParts & CaseInputParts.Features) != 0 && input.Features.IsEmpty) ||
            ((RequiredParts & CaseInputParts.RawScore) != 0 && input.RawScore is null) ||
            ((RequiredParts & CaseInputParts.ClassScores) != 0 && input.ClassScores.IsEmpty);
        if (missing)
        {
            return CaseRejectionReason.MissingInput;
        }

        return FeatureCount is int count && input.Features.Length != count ? CaseRejectionReason.FeatureCountMismatch : null;
    }

    /// <summary>Describes the requirements for a dataset's provenance, e.g. <c>features(3)+rawScore</c>.</summary>
    /// <returns>The description; <c>none</c> when nothing is required.</returns>
    public override string ToString()
    {
        var parts = new List<string>(4);
        if ((RequiredParts & CaseInputParts.Features) != 0)
        {
            parts.Add(FeatureCount is int n ? string.Create(CultureInfo.InvariantCulture, $"features({n})") : "features");
        }

        if ((RequiredParts & CaseInputParts.RawScore) != 0)
        {
            parts.Add("rawScore");
        }

        if ((RequiredParts & CaseInputParts.ClassScores) != 0)
        {
            parts.Add("classScores");
        }

        if (parts.Count == 0 && RequiresAnyPart)
        {
            parts.Add("anyPart");
        }

        return parts.Count == 0 ? "none" : string.Join('+', parts);
    }
}

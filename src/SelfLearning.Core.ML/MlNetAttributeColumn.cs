using SelfLearning.Internal;

namespace SelfLearning.ML;

/// <summary>
/// A case attribute an ML.NET model type reads besides the features vector: the attribute's name (a key of the cases'
/// <c>Attributes</c>, which is also the name of its text column in the model's input schema) and how it is featurized.
/// Immutable; declare them on <see cref="MlNetTrainer"/> (<see cref="MlNetTrainer.WithAttributes"/>).
/// </summary>
/// <remarks>
/// The model sees attributes in the anonymised form of the loop's datasets, and <c>IPredictionService.Predict</c> with
/// attributes anonymises the host's raw values the same way before the model reads them. A case (or a serving call)
/// without the attribute reads it as the empty string, which every kind encodes as all zeros.
/// </remarks>
public sealed record MlNetAttributeColumn
{
    /// <summary>The number of hash bits of <see cref="MlNetAttributeKind.HashedCategorical"/>: 2^10 = 1,024 slots.</summary>
    public const int HashBits = 10;

    /// <summary>Column names the model's input or output schema already uses (compared ignoring case).</summary>
    private static readonly string[] Reserved = [MlNetRows.FeaturesColumn, MlNetRows.LabelColumn, "Score", "Probability", "PredictedLabel"];

    /// <summary>Declares an attribute column.</summary>
    /// <param name="name">The attribute's name, as the cases' <c>Attributes</c> key it; not a column the model already uses (<c>Features</c>, <c>Label</c>, <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>).</param>
    /// <param name="kind">How it is featurized.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, blank or reserved.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public MlNetAttributeColumn(string name, MlNetAttributeKind kind)
    {
        Guard.NotNullOrWhiteSpace(name);
        if (Array.Exists(Reserved, r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException(
                $"Attribute column '{name}' is named like a column the model already uses ({string.Join(", ", Reserved)}); rename the attribute.", nameof(name));
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(
                nameof(kind), kind, $"Attribute column '{name}' has kind {(int)kind}, which is not one of {string.Join(", ", Enum.GetNames<MlNetAttributeKind>())}.");
        }

        Name = name;
        Kind = kind;
    }

    /// <summary>Gets the attribute's name and column name.</summary>
    public string Name { get; }

    /// <summary>Gets how the attribute is featurized.</summary>
    public MlNetAttributeKind Kind { get; }

    /// <summary>A one-hot encoded category (<see cref="MlNetAttributeKind.Categorical"/>).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The declaration.</returns>
    public static MlNetAttributeColumn Categorical(string name) => new(name, MlNetAttributeKind.Categorical);

    /// <summary>A hashed one-hot encoded category (<see cref="MlNetAttributeKind.HashedCategorical"/>).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The declaration.</returns>
    public static MlNetAttributeColumn HashedCategorical(string name) => new(name, MlNetAttributeKind.HashedCategorical);

    /// <summary>Free text featurized as n-grams (<see cref="MlNetAttributeKind.Text"/>).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The declaration.</returns>
    public static MlNetAttributeColumn Text(string name) => new(name, MlNetAttributeKind.Text);

    /// <summary>Checks a declaration list: at most <see cref="MlNetRows.MaxAttributes"/> columns, no name twice.</summary>
    internal static IReadOnlyList<MlNetAttributeColumn> Validate(IEnumerable<MlNetAttributeColumn>? attributes, string parameterName)
    {
        if (attributes is null)
        {
            return [];
        }

        var list = new List<MlNetAttributeColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (attribute is null)
            {
                throw new ArgumentException($"'{parameterName}' element {list.Count} is null.", parameterName);
            }

            if (!seen.Add(attribute.Name))
            {
                throw new ArgumentException($"Attribute column '{attribute.Name}' is declared twice; declare each attribute once.", parameterName);
            }

            list.Add(attribute);
        }

        if (list.Count > MlNetRows.MaxAttributes)
        {
            throw new ArgumentException(
                $"{list.Count} attribute columns are declared; an ML.NET model type reads at most {MlNetRows.MaxAttributes}.", parameterName);
        }

        return list;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// The hyperparameters of one training run: an immutable, ordinal-sorted map from name to value. Values are held
/// in their invariant text form (doubles round-trip exactly), so a job's parameters persist and compare exactly.
/// </summary>
public sealed class TrainingParameters : IEquatable<TrainingParameters>
{
    private readonly ImmutableSortedDictionary<string, string> _values;

    private TrainingParameters(ImmutableSortedDictionary<string, string> values) => _values = values;

    /// <summary>Gets the empty parameter set: every trainer then uses its defaults.</summary>
    public static TrainingParameters Empty { get; } = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>Gets the parameters as name → invariant text, sorted by name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Gets the number of parameters.</summary>
    public int Count => _values.Count;

    /// <summary>Gets a parameter's text value.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no parameter <paramref name="name"/>.</exception>
    public string this[string name] =>
        _values.TryGetValue(name, out string? value) ? value : throw new KeyNotFoundException($"There is no training parameter '{name}'.");

    /// <summary>Creates a parameter set from name/value text pairs (as read back from a store).</summary>
    /// <param name="values">The pairs; names must not be blank, values must not be null.</param>
    /// <returns>The parameter set.</returns>
    public static TrainingParameters FromPairs(IEnumerable<KeyValuePair<string, string>> values)
    {
        Guard.NotNull(values);
        var result = Empty;
        foreach (var pair in values)
        {
            result = result.WithText(pair.Key, pair.Value);
        }

        return result;
    }

    /// <summary>Returns a copy with <paramref name="name"/> set to a finite double.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value; NaN and infinities are refused.</param>
    /// <returns>The new parameter set.</returns>
    public TrainingParameters With(string name, double value)
    {
        Guard.Finite(value);
        return WithText(name, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Returns a copy with <paramref name="name"/> set to an integer.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new parameter set.</returns>
    public TrainingParameters With(string name, int value) => WithText(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Returns a copy with <paramref name="name"/> set to a text value.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new parameter set.</returns>
    public TrainingParameters With(string name, string value) => WithText(name, value);

    /// <summary>Returns a copy holding these parameters overlaid with <paramref name="overrides"/>.</summary>
    /// <param name="overrides">Values that replace or add to these.</param>
    /// <returns>The merged parameter set.</returns>
    public TrainingParameters Merge(TrainingParameters overrides)
    {
        Guard.NotNull(overrides);
        return new(_values.SetItems(overrides._values));
    }

    /// <summary>Reads a double, or <paramref name="defaultValue"/> when the parameter is absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The trainer's default.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The stored text is not a finite number.</exception>
    public double GetDouble(string name, double defaultValue)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"Training parameter '{name}' must be a finite number, but is '{text}'.", name);
        }

        return value;
    }

    /// <summary>Reads an integer, or <paramref name="defaultValue"/> when the parameter is absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The trainer's default.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The stored text is not an integer.</exception>
    public int GetInt32(string name, int defaultValue)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new ArgumentException($"Training parameter '{name}' must be an integer, but is '{text}'.", name);
        }

        return value;
    }

    /// <summary>Reads a text value, or <paramref name="defaultValue"/> when the parameter is absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The trainer's default.</param>
    /// <returns>The value.</returns>
    public string GetString(string name, string defaultValue) =>
        _values.TryGetValue(name, out string? text) ? text : defaultValue;

    /// <summary>
    /// Refuses a parameter the trainer does not know, so a misspelt name is an error rather than a silently ignored setting.
    /// </summary>
    /// <param name="modelType">The trainer's model type, named in the message.</param>
    /// <param name="known">The names the trainer reads.</param>
    /// <exception cref="ArgumentException">A parameter is not in <paramref name="known"/>.</exception>
    public void EnsureOnly(string modelType, params string[] known)
    {
        foreach (string name in _values.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new ArgumentException(
                    $"Trainer '{modelType}' has no parameter '{name}'; it reads: {string.Join(", ", known)}.",
                    name);
            }
        }
    }

    /// <inheritdoc />
    public bool Equals(TrainingParameters? other) =>
        other is not null && _values.Count == other._values.Count && _values.SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TrainingParameters);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in _values)
        {
            hash.Add(pair.Key, StringComparer.Ordinal);
            hash.Add(pair.Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The parameters as <c>name=value</c> pairs separated by commas, in name order.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => string.Join(", ", _values.Select(p => $"{p.Key}={p.Value}"));

    private TrainingParameters WithText(string name, string value)
    {
        Guard.NotNullOrWhiteSpace(name);
        Guard.NotNull(value);
        return new(_values.SetItem(name, value));
    }
}

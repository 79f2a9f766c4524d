using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;

namespace SelfLearning.Serving;

/// <summary>
/// Puts the raw attributes a host passes to <c>Predict</c> in the form the model was trained on: the loop's datasets
/// hold cases anonymised by <see cref="CaseAnonymizer"/> (identifying attributes pseudonymised with the host's key, dates
/// reduced to the year, ages over 89 as "90+", ZIP codes cut to three digits, dropped attributes gone, every other value
/// redacted of personal data), so serving applies the same anonymizer, built from the same options, to the attributes
/// the served version reads. Models on features alone never reach it.
/// </summary>
internal sealed class ServingAttributes(IOptions<CaseAnonymizerOptions> options, ILoggerFactory loggerFactory)
{
    private readonly Lazy<CaseAnonymizer> _anonymizer = new(() =>
        new CaseAnonymizer(options.Value, loggerFactory.CreateLogger<CaseAnonymizer>()));

    /// <summary>The anonymised values of the attributes in <paramref name="names"/> the host gave.</summary>
    public IReadOnlyDictionary<string, string> Anonymize(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> raw) =>
        _anonymizer.Value.AnonymizeForServing(names, raw);
}

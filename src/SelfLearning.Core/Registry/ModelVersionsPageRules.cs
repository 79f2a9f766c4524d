using System.Globalization;

namespace SelfLearning.Registry;

/// <summary>The argument checks of <see cref="IModelRegistry.GetVersionsPageAsync"/> and <see cref="IModelRegistry.GetHistoryPageAsync"/>, shared by every implementation.</summary>
internal static class ModelVersionsPageRules
{
    public static void Validate(int? newestVersion, int maxCount)
    {
        if (newestVersion is < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(newestVersion), newestVersion, string.Create(CultureInfo.InvariantCulture, $"'{nameof(newestVersion)}' is {newestVersion}; versions are numbered from 1."));
        }

        if (maxCount is < 1 or > IModelRegistry.MaxVersionsPageSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxCount), maxCount, string.Create(CultureInfo.InvariantCulture, $"'{nameof(maxCount)}' is {maxCount}; a page holds 1 to {IModelRegistry.MaxVersionsPageSize} versions."));
        }
    }

    public static void ValidateHistory(long? newestSequence, int maxCount)
    {
        if (newestSequence is < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(newestSequence), newestSequence, string.Create(CultureInfo.InvariantCulture, $"'{nameof(newestSequence)}' is {newestSequence}; transitions are numbered from 1."));
        }

        if (maxCount is < 1 or > IModelRegistry.MaxVersionsPageSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxCount), maxCount, string.Create(CultureInfo.InvariantCulture, $"'{nameof(maxCount)}' is {maxCount}; a page holds 1 to {IModelRegistry.MaxVersionsPageSize} transitions."));
        }
    }
}

using Microsoft.Extensions.Logging;

namespace SelfLearning.Cases;

/// <summary>
/// Log messages of case collection (event ids 1000–1999). No message carries case data: only counts,
/// reasons and settings, so logs never hold personal data.
/// </summary>
internal static partial class CasesLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Case collection started; {ExpectedCases} cases are waiting in the source")]
    public static partial void CollectionStarted(ILogger logger, long expectedCases);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Case collection finished in {ElapsedMilliseconds} ms: {Read} read, {Accepted} kept, {Rejected} rejected, {NeedingReview} need review")]
    public static partial void CollectionFinished(ILogger logger, long elapsedMilliseconds, long read, long accepted, long rejected, long needingReview);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Cases are filtered on the model's own confidence (minimum {MinModelConfidence}); this biases calibration data, because the low-confidence cases are the ones calibration needs")]
    public static partial void ModelConfidenceFilterOn(ILogger logger, double minModelConfidence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Count} cases rejected because {Reason}")]
    public static partial void CasesRejected(ILogger logger, long count, CaseRejectionReason reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Personal data could not be checked in a case's {Field} in time; the value was removed")]
    public static partial void PiiCheckTimedOut(ILogger logger, string field);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "{Count} cases have conflicting labels from different reviewers and need review")]
    public static partial void ConflictingLabels(ILogger logger, long count);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "{Count} cases read in the first pass were not found in the second; the case source is not repeatable and these cases were not kept")]
    public static partial void SourceChangedDuringCollection(ILogger logger, long count);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "A case could not be processed ({ErrorType}); it was counted as malformed and the run went on")]
    public static partial void CaseFailed(ILogger logger, string errorType);
}

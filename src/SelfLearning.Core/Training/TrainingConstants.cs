namespace SelfLearning.Training;

/// <summary>The defaults of the training options, in one place.</summary>
internal static class TrainingConstants
{
    public const int DefaultMaxConcurrency = 1;
    public const int MaxConcurrencyLimit = 64;
    public const int DefaultMaxAttempts = 3;
    public const int MaxAttemptsLimit = 100;
    public const int DefaultMinimumCases = 50;
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultCasePollInterval = TimeSpan.FromMinutes(5);
}

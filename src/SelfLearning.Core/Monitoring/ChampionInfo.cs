namespace SelfLearning.Monitoring;

/// <summary>The active (champion) version of a model and when it became active.</summary>
internal sealed record ChampionInfo(string Model, int Version, DateTimeOffset ActivatedAt);

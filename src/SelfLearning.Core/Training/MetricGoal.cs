namespace SelfLearning.Training;

/// <summary>Whether a smaller or a larger value of a metric is better.</summary>
public enum MetricGoal
{
    /// <summary>Smaller is better (log loss, RMSE).</summary>
    Minimize = 0,

    /// <summary>Larger is better (accuracy, silhouette).</summary>
    Maximize = 1,
}

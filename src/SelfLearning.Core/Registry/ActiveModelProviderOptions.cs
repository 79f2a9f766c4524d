namespace SelfLearning.Registry;

/// <summary>Options of an <see cref="ActiveModelProvider{TPredictor}"/>.</summary>
public sealed class ActiveModelProviderOptions
{
    /// <summary>
    /// Gets or sets how often the provider asks the registry for the champion, to see changes made by other
    /// processes sharing the store. Changes made through the same registry instance are seen at once
    /// regardless. <see cref="Timeout.InfiniteTimeSpan"/> turns polling off.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan PollInterval { get; set; } = RegistryConstants.DefaultPollInterval;
}

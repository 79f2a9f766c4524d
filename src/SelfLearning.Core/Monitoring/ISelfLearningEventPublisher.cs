namespace SelfLearning.Monitoring;

/// <summary>Publishes the loop's events to the subscribers of <see cref="ISelfLearningEvents"/>.</summary>
internal interface ISelfLearningEventPublisher
{
    /// <summary>Delivers an event to every current subscriber; a throwing subscriber is logged and skipped.</summary>
    /// <param name="selfLearningEvent">The event.</param>
    void Publish(SelfLearningEvent selfLearningEvent);
}

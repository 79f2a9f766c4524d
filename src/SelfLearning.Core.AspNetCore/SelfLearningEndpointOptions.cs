namespace SelfLearning.AspNetCore;

/// <summary>Options of the operators' endpoints and dashboard mapped by <c>MapSelfLearning</c>.</summary>
public sealed class SelfLearningEndpointOptions
{
    /// <summary>Gets or sets the authorization policy every read endpoint and the dashboard require.</summary>
    /// <value>The default value is <c>"SelfLearning.Read"</c>. The host defines what the policy means.</value>
    public string ReadPolicy { get; set; } = "SelfLearning.Read";

    /// <summary>Gets or sets the authorization policy every endpoint that changes state requires (in addition to <see cref="ReadPolicy"/>).</summary>
    /// <value>The default value is <c>"SelfLearning.Operator"</c>. The host defines what the policy means.</value>
    public string OperatorPolicy { get; set; } = "SelfLearning.Operator";

    /// <summary>
    /// Gets or sets a value indicating whether read endpoints and the dashboard may be called without a user.
    /// Endpoints that change state always require <see cref="OperatorPolicy"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: nothing is anonymous unless the host says so here.</value>
    public bool AllowAnonymousReads { get; set; }

    /// <summary>Gets or sets how long a write's response is kept for replay under its <c>Idempotency-Key</c> header.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the most write responses kept for replay; the oldest are forgotten first.</summary>
    /// <value>The default value is 10,000.</value>
    public int IdempotencyCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets the most events buffered for one slow Server-Sent Events subscriber; older ones are dropped for that subscriber only.</summary>
    /// <value>The default value is 256.</value>
    public int EventBufferPerSubscriber { get; set; } = 256;
}

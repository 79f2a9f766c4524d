namespace SelfLearning.AspNetCore.Endpoints;

/// <summary>A request field (body property, query parameter or header) that is missing or invalid; answered 400 naming <see cref="ArgumentException.ParamName"/>.</summary>
internal sealed class InvalidFieldException(string field, string message) : ArgumentException(message, field);

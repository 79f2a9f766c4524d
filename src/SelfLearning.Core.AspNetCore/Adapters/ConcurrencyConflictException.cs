namespace SelfLearning.AspNetCore.Adapters;

/// <summary>A write lost a race with another writer (answered 409); the registry's own conflicts are <c>RegistryConcurrencyException</c>.</summary>
internal sealed class ConcurrencyConflictException(string message) : Exception(message);

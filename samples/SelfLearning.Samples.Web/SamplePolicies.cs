using Microsoft.AspNetCore.Authorization;

namespace SelfLearning.Samples.Web;

/// <summary>What the sample decides the two policies mean: readers and operators by role.</summary>
internal static class SamplePolicies
{
    public const string ReaderRole = "reader";
    public const string OperatorRole = "operator";

    public static void Add(AuthorizationOptions options, string readPolicy, string operatorPolicy)
    {
        options.AddPolicy(readPolicy, p => p.RequireAuthenticatedUser().RequireRole(ReaderRole, OperatorRole));
        options.AddPolicy(operatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(OperatorRole));
    }
}

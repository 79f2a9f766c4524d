namespace SelfLearning.Quartz;

/// <summary>Defaults and fixed names of the Quartz package.</summary>
internal static class QuartzConstants
{
    /// <summary>Every hour on the hour, in Quartz's six-field cron form.</summary>
    public const string DefaultCronSchedule = "0 0 * * * ?";

    /// <summary>The Quartz group of the cycle jobs and their triggers.</summary>
    public const string DefaultJobGroup = "SelfLearning";

    /// <summary>The configuration path the options are named by in validation messages.</summary>
    public const string Section = "SelfLearning:Quartz";

    /// <summary>The longest Quartz job or trigger group name the ADO.NET job store's columns hold on every database it supports.</summary>
    public const int MaxGroupLength = 150;
}

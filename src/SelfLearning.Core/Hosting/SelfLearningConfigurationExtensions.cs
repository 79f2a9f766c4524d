using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds the loop's options from configuration (appsettings.json, environment variables, a vault), at the paths the
/// start-up validation names: <c>SelfLearning:CycleInterval</c>, <c>SelfLearning:Models:&lt;name&gt;:MinimumCases</c>,
/// <c>SelfLearning:Models:&lt;name&gt;:Gate:Alpha</c>, <c>SelfLearning:Anonymizer:PseudonymizationKey</c>,
/// <c>SelfLearning:Cases:…</c>, <c>SelfLearning:Monitoring:…</c>, <c>SelfLearning:Experiments:…</c>.
/// </summary>
/// <remarks>
/// A key that names no setting fails at once with its path, so a typo is not silently ignored. A list in
/// configuration replaces the default list rather than appending to it. Code configuration added after the binding
/// (<c>AddModel</c>, <c>ConfigureCases</c>, …) runs after it and wins.
/// </remarks>
public static class SelfLearningConfigurationExtensions
{
    /// <summary>The sections under the loop's section that hold other options than <see cref="SelfLearningOptions"/>.</summary>
    private static readonly string[] Sections = ["Models", "Monitoring", "Cases", "Anonymizer", "Experiments", "Sqlite", "Endpoints", "Alerts"];

    /// <summary>
    /// Registers the loop as <see cref="SelfLearningServiceCollectionExtensions.AddSelfLearning(IServiceCollection, Action{SelfLearningOptions}?)"/>
    /// does and binds its options from <paramref name="configuration"/>, the loop's section (for example
    /// <c>builder.Configuration.GetSection("SelfLearning")</c>); each child of its <c>Models</c> section adds a model of that name.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The loop's configuration section.</param>
    /// <returns>A builder to add case sources, trainers and more models.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A key names no setting, or a value does not convert; the message names its path.</exception>
    public static ISelfLearningBuilder AddSelfLearning(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(services);
        Guard.NotNull(configuration);
        return services.AddSelfLearning().BindConfiguration(configuration);
    }

    /// <summary>Binds the loop's options, and adds the models, from <paramref name="configuration"/> (the loop's section).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The loop's configuration section, e.g. <c>builder.Configuration.GetSection("SelfLearning")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A key names no setting, or a value does not convert; the message names its path.</exception>
    public static ISelfLearningBuilder BindConfiguration(this ISelfLearningBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);

        // Read everything now, so a wrong key fails where the host wires the loop, with its path.
        BindProperties(new SelfLearningOptions(), configuration, IsSection);
        builder.Services.Configure<SelfLearningOptions>(o => BindProperties(o, configuration, IsSection));

        Section<MonitoringOptions>(builder, configuration.GetSection("Monitoring"));
        Section<CaseCollectorOptions>(builder, configuration.GetSection("Cases"));
        Section<CaseAnonymizerOptions>(builder, configuration.GetSection("Anonymizer"));
        Section<ExperimentDecisionOptions>(builder, configuration.GetSection("Experiments"));

        foreach (IConfigurationSection model in configuration.GetSection("Models").GetChildren())
        {
            BindModel(new SelfLearningModelOptions(), model);
            builder.AddModel(model.Key, options => BindModel(options, model));
        }

        return builder;
    }

    private static bool IsSection(IConfigurationSection child) => Sections.Contains(child.Key, StringComparer.OrdinalIgnoreCase);

    private static void Section<TOptions>(ISelfLearningBuilder builder, IConfigurationSection section)
        where TOptions : class, new()
    {
        if (!section.Exists())
        {
            return;
        }

        BindProperties(new TOptions(), section, _ => false);
        builder.Services.Configure<TOptions>(o => BindProperties(o, section, _ => false));
    }

    private static void BindModel(SelfLearningModelOptions options, IConfigurationSection section)
    {
        BindProperties(options, section, child =>
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "PARAMETERS":
                    options.Parameters = TrainingParameters.FromPairs(child.GetChildren().Select(p => KeyValuePair.Create(p.Key, p.Value ?? "")));
                    return true;
                case "SCHEDULE":
                    options.Schedule = Schedule(child);
                    return true;
                case "GATE":
                    Bind(child, options.Gate);
                    return true;
                default:
                    return false;
            }
        });
    }

    /// <summary>
    /// A schedule as <c>{ "Every": "06:00:00" }</c>, <c>{ "Daily": "02:00", "TimeZone": "Europe/Berlin" }</c> or
    /// <c>{ "Weekly": "Sunday", "At": "02:00", "TimeZone": "Europe/Berlin" }</c>.
    /// </summary>
    private static TrainingSchedule Schedule(IConfigurationSection section)
    {
        string? every = section["Every"], daily = section["Daily"], weekly = section["Weekly"];
        TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(section["TimeZone"]
            ?? throw new InvalidOperationException($"{section.Path}:TimeZone is missing; a daily or weekly schedule needs a time zone id."));
        TimeOnly Time(string key, string text) => TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out TimeOnly t)
            ? t
            : throw new InvalidOperationException($"{section.Path}:{key} is '{text}', which is not a time of day such as 02:00.");

        if (every is not null)
        {
            return TimeSpan.TryParse(every, CultureInfo.InvariantCulture, out TimeSpan interval)
                ? TrainingSchedule.Every(interval)
                : throw new InvalidOperationException($"{section.Path}:Every is '{every}', which is not a time span such as 06:00:00.");
        }

        if (daily is not null)
        {
            return TrainingSchedule.Daily(Time("Daily", daily), Zone());
        }

        if (weekly is not null)
        {
            return Enum.TryParse(weekly, ignoreCase: true, out DayOfWeek day) && Enum.IsDefined(day)
                ? TrainingSchedule.Weekly(day, Time("At", section["At"] ?? ""), Zone())
                : throw new InvalidOperationException($"{section.Path}:Weekly is '{weekly}', which is not a day of the week.");
        }

        throw new InvalidOperationException($"{section.Path} needs Every, Daily or Weekly.");
    }

    private static void Bind(IConfigurationSection section, object target)
    {
        ReplaceConfiguredLists(target, section);
        section.Bind(target, o => o.ErrorOnUnknownConfiguration = true);
    }

    /// <summary>
    /// Sets each settable public property named by a child of <paramref name="section"/>; a child <paramref name="handled"/>
    /// takes is skipped. A child that names no property fails with its path.
    /// </summary>
    private static void BindProperties(object target, IConfiguration section, Func<IConfigurationSection, bool> handled)
    {
        Type type = target.GetType();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (handled(child))
            {
                continue;
            }

            PropertyInfo? property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                throw new InvalidOperationException($"{child.Path} is not a setting of {type.Name}.");
            }

            if (property.CanWrite)
            {
                // A list in configuration replaces the default list instead of being appended to it.
                property.SetValue(target, child.Get(property.PropertyType, o => o.ErrorOnUnknownConfiguration = true));
            }
            else if (property.GetValue(target) is { } value)
            {
                Bind(child, value);
            }
        }
    }

    private static void ReplaceConfiguredLists(object target, IConfigurationSection section)
    {
        foreach (PropertyInfo property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite && property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(IList<>)
                && section.GetSection(property.Name).Exists())
            {
                property.SetValue(target, Activator.CreateInstance(typeof(List<>).MakeGenericType(property.PropertyType.GetGenericArguments())));
            }
        }
    }
}

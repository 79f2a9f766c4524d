using System.Globalization;
using SelfLearning.Registry;

namespace SelfLearning.PostgreSql;

/// <summary>
/// A registry commit as announced on <see cref="PostgreSqlModelRegistryStore.Channel"/>: the committing store's id, the
/// model's new revision, the change kind and the model name, separated by <c>|</c> (the name last, so it may hold any
/// character). Model names are at most a few hundred bytes, far below PostgreSQL's 8,000-byte payload limit.
/// </summary>
internal readonly record struct ChangeNotification(Guid Instance, long Revision, ModelChangeKind Kind, string Name)
{
    public static string Format(Guid instance, ModelRegistryCommit commit) =>
        string.Create(CultureInfo.InvariantCulture, $"{instance:N}|{commit.Revision}|{(int)commit.Kind}|{commit.Name}");

    /// <summary>Reads a payload; anything else on the channel (a newer or foreign format) is ignored rather than trusted.</summary>
    public static bool TryParse(string payload, out ChangeNotification notification)
    {
        notification = default;
        string[] parts = payload.Split('|', 4);
        if (parts.Length != 4 ||
            !Guid.TryParseExact(parts[0], "N", out Guid instance) ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long revision) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int kind) ||
            !Enum.IsDefined((ModelChangeKind)kind) ||
            parts[3].Length == 0)
        {
            return false;
        }

        notification = new ChangeNotification(instance, revision, (ModelChangeKind)kind, parts[3]);
        return true;
    }
}

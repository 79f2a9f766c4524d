using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SelfLearning.AspNetCore.Dashboard;

/// <summary>Maps the dashboard page and its embedded assets (one stylesheet, one script; no build step).</summary>
internal static class DashboardEndpoints
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = LoadAssets();

    public static void Map(RouteGroupBuilder root, string groupPrefix, SelfLearningEndpointOptions options)
    {
        root.MapGet("/", async (HttpContext context, DashboardPage page, IAuthorizationService authorization, CancellationToken ct) =>
        {
            bool canOperate = context.User.Identity?.IsAuthenticated == true
                && (await authorization.AuthorizeAsync(context.User, options.OperatorPolicy).ConfigureAwait(false)).Succeeded;
            string prefix = context.Request.PathBase + groupPrefix;
            string html = await page.RenderAsync(prefix, canOperate, context.User.Identity?.Name ?? "anonymous", ct).ConfigureAwait(false);
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Content(html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        root.MapGet("/assets/{file}", (string file) =>
            Assets.TryGetValue(file, out var asset)
                ? Results.Bytes(asset.Content, asset.ContentType)
                : Results.NotFound()).ExcludeFromDescription();
    }

    private static FrozenDictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string file in new[] { "dashboard.css", "dashboard.js" })
        {
            using Stream stream = assembly.GetManifestResourceStream("SelfLearning.AspNetCore.Dashboard." + file)
                ?? throw new InvalidOperationException($"The dashboard asset '{file}' is not embedded in {assembly.GetName().Name}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            assets[file] = (buffer.ToArray(), file.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

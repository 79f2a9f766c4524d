using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SelfLearning.Packaging.Tests;

/// <summary>What <c>dotnet pack</c> puts in each package: the nuspec's metadata, the icon and readme, and symbols with Source Link.</summary>
[Collection(PackedPackagesGroup.Name)]
public sealed partial class PackageMetadataTests(PackedPackages packages)
{
    /// <summary>Source Link's custom debug information in a portable PDB (the Portable PDB specification).</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> PackageIds => [.. Repository.PackageProjects.Select(Repository.PackageId)];

    [Fact]
    public void Pack_EveryProjectUnderSrc_ProducesAPackageAndASymbolPackage()
    {
        packages.PackageIds.Should().Contain(["SelfLearning.Core", "SelfLearning.Core.Sqlite", "SelfLearning.Core.AspNetCore"]);
        foreach (string id in packages.PackageIds)
        {
            File.Exists(packages.PackagePath(id)).Should().BeTrue($"{id}.nupkg must be packed");
            File.Exists(packages.SymbolPackagePath(id)).Should().BeTrue($"{id}.snupkg must be packed beside it");
        }
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Nuspec_Package_HasTheMetadataOfAWellKeptPackage(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PackagePath(id));
        XElement metadata = Nuspec(package, id);
        string Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? "";

        Value("id").Should().Be(id);
        Value("version").Should().Be(packages.Version);
        Value("authors").Should().NotBeEmpty();
        metadata.Element(metadata.Name.Namespace + "license")?.Attribute("type")?.Value.Should().Be("expression");
        Value("license").Should().Be("MIT");

        XElement? repository = metadata.Element(metadata.Name.Namespace + "repository");
        repository.Should().NotBeNull("the nuspec must name the repository");
        string repositoryUrl = repository!.Attribute("url")?.Value ?? "";
        repositoryUrl.Should().StartWith("https://github.com/");
        repository.Attribute("type")?.Value.Should().Be("git");
        Value("projectUrl").Should().StartWith(repositoryUrl);
        Value("releaseNotes").Should().NotBeEmpty();
        if (Directory.Exists(Path.Combine(Repository.Root, ".git")) || File.Exists(Path.Combine(Repository.Root, ".git")))
        {
            (repository.Attribute("commit")?.Value ?? "").Should().MatchRegex("^[0-9a-f]{40}$", "a package built in a clone names its commit");
        }

        string description = Value("description");
        description.Should().NotBe("Package Description").And.Contain(id == "SelfLearning.Core" ? "calibrat" : "SelfLearning.Core");
        description.Length.Should().BeGreaterThan(80, "the description says what the package holds");

        string icon = Value("icon");
        icon.Should().NotBeEmpty();
        using (Stream png = package.GetEntry(icon)!.Open())
        {
            var signature = new byte[8];
            png.ReadExactly(signature);
            signature.Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "the icon is a PNG");
        }
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Readme_Package_IsItsOwnShortReadmeWithAbsoluteLinks(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PackagePath(id));
        string readmePath = Nuspec(package, id).Element(Nuspec(package, id).Name.Namespace + "readme")?.Value ?? "";
        readmePath.Should().NotBeEmpty("the package shows a readme on its page");
        using var reader = new StreamReader(package.GetEntry(readmePath)!.Open(), Encoding.UTF8);
        string readme = reader.ReadToEnd();

        readme.Should().StartWith("# " + id).And.Contain("dotnet add package " + id).And.Contain("```csharp");
        string[] relative = [.. MarkdownLink().Matches(readme).Select(m => m.Groups["target"].Value)
            .Where(t => !t.StartsWith("https://", StringComparison.Ordinal))];
        relative.Should().BeEmpty("links on a package page resolve only when absolute");
        readme.Split('\n').Length.Should().BeLessThan(80, "a package readme is short; the repository README has the rest");
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Snupkg_Package_HoldsThePdbWithSourceLinkToTheRepository(string id)
    {
        using ZipArchive symbols = ZipFile.OpenRead(packages.SymbolPackagePath(id));
        ZipArchiveEntry? pdb = symbols.Entries.SingleOrDefault(e => e.FullName == $"lib/net10.0/{id}.pdb");
        pdb.Should().NotBeNull("the symbol package holds the portable PDB");

        using var pdbBytes = new MemoryStream();
        using (Stream s = pdb!.Open())
        {
            s.CopyTo(pdbBytes);
        }

        pdbBytes.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbBytes);
        MetadataReader reader = provider.GetMetadataReader();
        string? sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Where(i => reader.GetGuid(i.Kind) == SourceLinkKind)
            .Select(i => Encoding.UTF8.GetString(reader.GetBlobBytes(i.Value)))
            .SingleOrDefault();
        sourceLink.Should().NotBeNull("Source Link maps the PDB's documents to the repository");
        using var json = JsonDocument.Parse(sourceLink!);
        string target = json.RootElement.GetProperty("documents").EnumerateObject().Single().Value.GetString()!;
        target.Should().MatchRegex("^https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/[0-9a-f]{40}/\\*$");

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            // ContinuousIntegrationBuild: deterministic paths, independent of where the clone is.
            reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).Where(n => n.EndsWith(".cs", StringComparison.Ordinal))
                .Should().OnlyContain(n => n.StartsWith("/_/", StringComparison.Ordinal));
        }
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        ZipArchiveEntry entry = package.GetEntry(id + ".nuspec") ?? throw new InvalidOperationException($"{id}.nupkg has no {id}.nuspec.");
        using Stream stream = entry.Open();
        XDocument nuspec = XDocument.Load(stream);
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SelfLearning.PostgreSql.Tests;

/// <summary>
/// A real PostgreSQL server for the tests, shared by every test class of the assembly. When <c>SELFLEARNING_POSTGRES</c>
/// holds a connection string (a superuser's, to a maintenance database) that server is used; otherwise a throw-away
/// cluster is created in a temporary directory with Debian's server binaries (<c>apt-get install -y postgresql</c>),
/// listening on 127.0.0.1 on a free port, run as the <c>postgres</c> user when the tests run as root (the server refuses
/// root), and removed at the end. Each test gets its own database. When no server can be had the tests fail with the
/// reason; they never skip.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private string? _directory;
    private string? _pgCtl;

    /// <summary>Gets the connection string to the maintenance database, as a superuser.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("SELFLEARNING_POSTGRES") is { Length: > 0 } external)
        {
            AdminConnectionString = external;
        }
        else
        {
            StartThrowAwayCluster();
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_pgCtl is not null && _directory is not null)
        {
            Run(_pgCtl, "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "selflearning_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    private void StartThrowAwayCluster()
    {
        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0).FirstOrDefault() ?? string.Empty
            : string.Empty;
        if (bin.Length == 0)
        {
            throw new InvalidOperationException(
                "No PostgreSQL server for the tests: SELFLEARNING_POSTGRES is not set and no server binaries are in /usr/lib/postgresql/*/bin. " +
                "Install Debian's server (apt-get install -y postgresql) or set SELFLEARNING_POSTGRES to a superuser's connection string.");
        }

        _directory = Directory.CreateTempSubdirectory("selflearning-pg-").FullName;
        string data = Path.Combine(_directory, "data");
        if (Environment.UserName == "root")
        {
            Run("chown", "postgres:postgres", _directory);
        }

        _pgCtl = Path.Combine(bin, "pg_ctl");
        Run(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C");
        int port = FreePort();
        Run(_pgCtl, "-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            MaxPoolSize = 20,
        }.ConnectionString;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a server tool, as the postgres user when the tests run as root; fails with its output when it fails.</summary>
    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Environment.UserName == "root" && file != "chown")
        {
            start.FileName = "runuser";
            foreach (string a in (string[])["-u", "postgres", "--", file, .. arguments])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
            foreach (string a in arguments)
            {
                start.ArgumentList.Add(a);
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {output.Result} {error.Result}");
        }
    }
}

/// <summary>The test classes that share <see cref="PostgreSqlServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlTests : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}

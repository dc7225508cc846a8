namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>The <c>tinykv</c> executable against a silo process.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CliTests(SharedSilo shared)
{
    private string[] Global => ["--endpoint", shared.Silo.Endpoint, "--cluster-id", shared.Silo.ClusterId];

    [Fact]
    public async Task PutGetScanDelete()
    {
        Assert.Equal((0, "OK", ""), await CliRunner.RunAsync([.. Global, "put", "cli-a", "1"]));
        Assert.Equal((0, "OK", ""), await CliRunner.RunAsync([.. Global, "put", "cli-b", "2"]));
        Assert.Equal((0, "1", ""), await CliRunner.RunAsync([.. Global, "get", "cli-a"]));

        var scan = await CliRunner.RunAsync([.. Global, "scan", "--from", "cli-", "--to", "cli-z", "--format", "json"]);
        Assert.Equal((0, """[{"key":"cli-a","value":"1"},{"key":"cli-b","value":"2"}]"""), (scan.ExitCode, scan.Stdout));

        Assert.Equal((0, "OK", ""), await CliRunner.RunAsync([.. Global, "delete", "cli-a"]));
        var missing = await CliRunner.RunAsync([.. Global, "get", "cli-a"]);
        Assert.Equal((1, "", "tinykv: not found: cli-a"), missing);
    }

    [Fact]
    public async Task HexKeysAndValuesRoundTrip()
    {
        Assert.Equal(0, (await CliRunner.RunAsync([.. Global, "--hex", "put", "00ff", "0102"])).ExitCode);

        var get = await CliRunner.RunAsync([.. Global, "--hex", "get", "00ff"]);

        Assert.Equal((0, "0102"), (get.ExitCode, get.Stdout));
    }

    [Fact]
    public async Task StatusReportsTheStore()
    {
        var status = await CliRunner.RunAsync([.. Global, "status", "--format", "json"]);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("\"storeId\":1", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"clusterId\":\"e2e\"", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadWritesTheKeysAndReportsTheRate()
    {
        var load = await CliRunner.RunAsync([.. Global, "load", "--keys", "200", "--format", "json"]);

        Assert.Equal(0, load.ExitCode);
        Assert.Contains("\"keys\":200", load.Stdout, StringComparison.Ordinal);
        Assert.Contains("keysPerSecond", load.Stdout, StringComparison.Ordinal);
        await using var client = await shared.Silo.ConnectAsync();
        int written = 0;
        await foreach (var _ in client.ScanAsync("load-"u8.ToArray(), "load."u8.ToArray()))
        {
            written++;
        }

        Assert.Equal(200, written);
    }

    [Theory]
    [InlineData("--keys", "0")]
    [InlineData("--keys", "lots")]
    [InlineData("--concurrency", "0")]
    public async Task LoadWithBadArgumentsExitsTwo(string option, string value)
    {
        var result = await CliRunner.RunAsync([.. Global, "load", option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("tinykv: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongClusterIdExitsThree()
    {
        var result = await CliRunner.RunAsync("--endpoint", shared.Silo.Endpoint, "--cluster-id", "other", "get", "k");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cluster id", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Stderr);
    }

    [Fact]
    public async Task ScanWithoutALimitPrintsEveryPageAndHonoursTheBounds()
    {
        await using (var client = await shared.Silo.ConnectAsync())
        {
            await client.BatchPutAsync(Enumerable.Range(0, 1500).Select(i => KeyValuePair.Create(System.Text.Encoding.UTF8.GetBytes($"page-{i:D4}"), System.Text.Encoding.UTF8.GetBytes($"{i}"))));
        }

        var all = await CliRunner.RunAsync([.. Global, "scan", "--from", "page-", "--to", "page.", "--limit", "0"]);
        var some = await CliRunner.RunAsync([.. Global, "scan", "--from", "page-0998", "--to", "page-1003"]);

        Assert.Equal(0, all.ExitCode);
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => $"page-{i:D4}\t{i}"), all.Stdout.Split('\n'));
        Assert.Equal(["page-0998\t998", "page-0999\t999", "page-1000\t1000", "page-1001\t1001", "page-1002\t1002"], some.Stdout.Split('\n'));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("get")]
    [InlineData("put", "only-key")]
    [InlineData("scan", "--limit", "-1")]
    [InlineData("scan", "--limit", "many")]
    [InlineData("--format", "xml", "get", "k")]
    [InlineData("--hex", "get", "zz")]
    public async Task BadArgumentsExitTwoWithOneLine(params string[] args)
    {
        var result = await CliRunner.RunAsync([.. Global, .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("tinykv: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Stderr);
    }

    [Fact]
    public async Task AnUnreachableServerExitsThree()
    {
        var result = await CliRunner.RunAsync("--endpoint", $"127.0.0.1:{Artifacts.FreePort()}", "get", "k");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("tinykv: cannot reach", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownColumnFamilyExitsFourWithTheCode()
    {
        var result = await CliRunner.RunAsync([.. Global, "--cf", "nope", "put", "k", "v"]);

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("tinykv: UnknownColumnFamily", result.Stderr, StringComparison.Ordinal);
    }
}

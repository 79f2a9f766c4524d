using SelfLearning.Samples.Triage;

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(SampleOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(SampleOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    await TriageSample.RunAsync(options, Console.Out, Console.Error, cancel.Token);
    await ReferralSample.RunAsync(options.Weeks, options.Seed, Console.Out, cancel.Token);
    return 0;
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

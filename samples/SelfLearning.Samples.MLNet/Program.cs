using SelfLearning.Samples.MLNet;

await NoShowSample.RunAsync(Console.Out);
return 0;

using BenchmarkDotNet.Running;

// Every benchmark class in this assembly; pick with --filter, e.g.
//   dotnet run -c Release --project benchmarks/Hotline.Benchmarks -- --filter '*G711*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

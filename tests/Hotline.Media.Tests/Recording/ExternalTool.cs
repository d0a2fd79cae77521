using System.Diagnostics;

namespace Hotline.Media.Tests.Recording;

/// <summary>
/// Runs an independent reference tool (sox). If it isn't installed the test is skipped, unless
/// CI=true, where a missing tool is a failure (CI installs it).
/// </summary>
public static class ExternalTool
{
    public static void Require(string tool)
    {
        if (IsInstalled(tool))
            return;
        string message = $"{tool} is not installed (apt-get install {tool}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        Assert.Skip(message);
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            Assert.Fail($"{tool} did not finish in 30 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool IsInstalled(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));
}

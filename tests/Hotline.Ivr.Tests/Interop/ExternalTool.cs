namespace Hotline.Ivr.Tests.Interop;

/// <summary>
/// Real peers (baresip, SIPp): a missing tool skips the test on a developer's machine and fails it under CI
/// (CI=true), where the tools are installed.
/// </summary>
internal static class ExternalTool
{
    public static void Require(string tool)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));
        if (found) return;
        var message = $"External tool '{tool}' is not installed (apt-get install {tool}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        Assert.Skip(message);
    }
}

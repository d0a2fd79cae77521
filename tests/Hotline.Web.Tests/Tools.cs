namespace Hotline.Web.Tests;

/// <summary>External programs the browser tests need: skipped with a message when missing on a developer's machine, a failure in CI.</summary>
internal static class Tools
{
    public const string Chromium = "/usr/bin/chromium";

    public static void Require(string path, string package)
    {
        if (File.Exists(path)) return;
        var message = $"{path} is missing (Debian package {package}; .ci/run installs it)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
        Assert.Skip(message);
    }
}

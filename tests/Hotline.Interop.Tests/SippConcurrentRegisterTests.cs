using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>Extensions 2000–2199 (password "pw" + number) laid over the demo, REGISTERs logged at Debug.</summary>
public sealed class TwoHundredUsersSwitch : SwitchFixture
{
    protected override object? Overlay => new
    {
        Extensions = Extensions(2000, 200),
        Logging = new { LogLevel = RegistrarDebugLogging },
    };
}

/// <summary>200 users register at once through one SIPp, each with its own credentials.</summary>
public sealed partial class SippConcurrentRegisterTests(TwoHundredUsersSwitch fixture) : InteropTest(fixture), IClassFixture<TwoHundredUsersSwitch>
{
    [Fact]
    public async Task Two_hundred_users_registering_concurrently_all_succeed()
    {
        var users = Path.Combine(Dir, "users.csv");
        await File.WriteAllLinesAsync(users, ["SEQUENTIAL", .. Enumerable.Range(2000, 200).Select(n => $"{n};{SwitchFixture.Password(n)}")], Cancellation);

        // 400 new calls a second, each holding half a second between the 401 and its answer: the
        // 200 registrations are all in flight together (the limit -l lets every one start).
        var run = await RunSippAsync("register-users.xml", "users200", new SippOptions
        {
            InjectionFile = users, Calls = 200, Rate = 400, Limit = 200, TimeoutSeconds = 60, TraceMessages = false,
        });

        Assert.True(run.ExitCode == 0, Explain($"200 concurrent registrations: {run.Summary}\n{run.Errors}", run.Process));
        Assert.Equal(200, run.Stat("SuccessfulCall(C)"));
        Assert.Equal(0, run.Stat("FailedCall(C)"));
        // The switch's own account: each of the 200 AORs registered (a Debug line per REGISTER that changed bindings).
        var expected = Enumerable.Range(2000, 200).Select(n => n.ToString()).ToHashSet();
        await Switch.WaitForLogAsync(lines => RegisteredAors(lines).SetEquals(expected), TimeSpan.FromSeconds(10));
        var aors = RegisteredAors(Switch.LogLines);
        Assert.True(aors.SetEquals(expected), Explain($"the switch logged REGISTERs for {aors.Count} distinct AORs, expected 2000–2199"));
    }

    private static HashSet<string> RegisteredAors(IEnumerable<string> lines) =>
        lines.Select(l => RegisterLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"REGISTER (\d+) from UDP:127\.0\.0\.1:\d+: 1 bindings")]
    private static partial Regex RegisterLine();
}

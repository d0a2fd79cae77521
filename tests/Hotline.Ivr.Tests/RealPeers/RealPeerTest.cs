using System.Globalization;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// Base of the real-peer tests: a folder per test for the switch's data and every SIPp run (scenarios as run,
/// message logs, screens), kept when the test fails (its path is in every failure message) and deleted when it
/// passes; peers and the switch are stopped when the test ends, pass or fail.
/// </summary>
public abstract class RealPeerTest : IAsyncLifetime
{
    private readonly List<SippPeer> _peers = [];
    private readonly List<IvrOnLoopback> _switches = [];

    protected RealPeerTest()
    {
        Dir = Path.Combine(Path.GetTempPath(), "hotline-ivr-realpeers", $"{GetType().Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Dir);
        TestContext.Current.TestOutputHelper?.WriteLine($"artefacts: {Dir}");
    }

    /// <summary>This test's folder; the switch's data is in its "data" folder.</summary>
    protected string Dir { get; }

    protected string DataDirectory => Path.Combine(Dir, "data");

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private protected async Task<IvrOnLoopback> StartSwitchAsync(Hotline.Switch.SwitchSettings settings, Action<IvrServices>? prepare = null,
        Hotline.Ivr.ContactCentre.ContactCentreOptions? queues = null)
    {
        var sw = await IvrOnLoopback.StartAsync(DataDirectory, Path.Combine(Dir, "switch.log"), settings, prepare, queues);
        _switches.Add(sw);
        return sw;
    }

    /// <summary>Starts SIPp (see <see cref="SippPeer.StartAsync"/>); it is stopped when the test ends.</summary>
    private protected async Task<SippPeer> StartSippAsync(string name, string scenario, int port, IReadOnlyDictionary<string, string>? fill = null, params string[] args)
    {
        var sipp = await SippPeer.StartAsync(Dir, name, scenario, port, fill, args);
        _peers.Add(sipp);
        return sipp;
    }

    /// <summary>
    /// One call from a SIPp caller on <paramref name="port"/> to <paramref name="did"/>, presenting
    /// <paramref name="caller"/> in From and <paramref name="identity"/> as one extra header line; runs
    /// <paramref name="script"/> once answered and returns when the call is over.
    /// </summary>
    private protected async Task<(SippPeer Sipp, int Exit)> CallAsync(IvrOnLoopback sw, string name, int port, string did, string caller,
        CallerScript script, string identity = "X-Identity: from-only", int seconds = 60)
    {
        var sipp = await StartSippAsync(name, "caller.xml", port, script.Fill, sw.Target, "-s", did, "-key", "caller", caller, "-key", "identity", identity,
            "-m", "1", "-timeout", seconds.ToString(CultureInfo.InvariantCulture) + "s", "-timeout_error");
        return (sipp, await sipp.ExitAsync(TimeSpan.FromSeconds(seconds + 15)));
    }

    /// <summary>What to show when an assertion fails: where the artefacts are, and a SIPp run's screen.</summary>
    private protected string Explain(string what, SippPeer? sipp = null) =>
        $"{what}\nartefacts: {Dir}" + (sipp is null ? "" : $"\n--- {sipp.Name} ---\n{sipp.Output}");

    public ValueTask InitializeAsync() => default;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _peers) await p.DisposeAsync();
        foreach (var s in _switches) await s.DisposeAsync();
        var result = TestContext.Current.TestState?.Result;
        if (result is TestResult.Passed or TestResult.Skipped)
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
                // A file still being closed: /tmp is cleaned another time.
            }
        }
        GC.SuppressFinalize(this);
    }
}

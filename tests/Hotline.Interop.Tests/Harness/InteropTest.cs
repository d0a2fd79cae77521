using System.Text;

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// Base of the interop tests: a per-test artefact folder (its path is written to the test output and
/// into every failure message), the class's switch, and the peers the test started, all killed when
/// the test ends, pass or fail.
/// </summary>
public abstract class InteropTest : IAsyncLifetime
{
    private readonly SwitchFixture _fixture;
    private readonly List<ExternalProcess> _peers = [];

    protected InteropTest(SwitchFixture fixture)
    {
        _fixture = fixture;
        var test = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
        var prefix = GetType().FullName + ".";
        Dir = Artefacts.NewDirectory(GetType().Name + "." + (test.StartsWith(prefix, StringComparison.Ordinal) ? test[prefix.Length..] : test));
        TestContext.Current.TestOutputHelper?.WriteLine($"artefacts: {Dir}  switch: {fixture.Directory}");
    }

    protected HotlineSwitch Switch => _fixture.Switch;

    /// <summary>HOST:PORT of the switch.</summary>
    protected internal string SwitchTarget => Switch.Target;

    /// <summary>This test's artefact folder.</summary>
    protected string Dir { get; }

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Starts a peer program whose logs go to this test's folder; it is killed when the test ends.</summary>
    protected ExternalProcess StartPeer(string program, IEnumerable<string> arguments, string name)
    {
        var process = ExternalProcess.Start(Peer.Require(program), arguments, Dir, name);
        lock (_peers) _peers.Add(process);
        return process;
    }

    /// <summary>Runs a peer to completion (bounded by <paramref name="timeout"/>) and returns it with its exit code.</summary>
    protected internal async Task<(ExternalProcess Process, int ExitCode)> RunPeerAsync(string program, IEnumerable<string> arguments, string name, TimeSpan timeout)
    {
        var process = StartPeer(program, arguments, name);
        var code = await process.WaitForExitAsync(timeout);
        return (process, code);
    }

    /// <summary>Runs SIPp with <paramref name="scenario"/> (a file in Scenarios/) against the switch and waits for it to finish.</summary>
    protected async Task<SippResult> RunSippAsync(string scenario, string name, SippOptions options)
    {
        var args = Sipp.Arguments(Switch.Target, Sipp.Scenario(scenario), Dir, name, options);
        var (process, code) = await RunPeerAsync("sipp", args, name, TimeSpan.FromSeconds(options.TimeoutSeconds + 30));
        return Sipp.Result(process, code, Dir, name);
    }

    /// <summary>A failure message: what went wrong, where the artefacts are, and the tail of each log.</summary>
    protected string Explain(string what, params ExternalProcess[] peers)
    {
        var text = new StringBuilder(what).Append('\n');
        text.Append("artefacts: ").Append(Dir).Append("\nswitch: ").Append(_fixture.Directory).Append('\n');
        foreach (var p in peers) text.Append(p.Tail()).Append('\n');
        text.Append(Switch.Tail());
        return text.ToString();
    }

    public ValueTask InitializeAsync() => default;

    public async ValueTask DisposeAsync()
    {
        List<ExternalProcess> peers;
        lock (_peers) peers = [.. _peers];
        foreach (var p in peers) await p.DisposeAsync();
        if (TestContext.Current.TestState?.Result == TestResult.Passed || TestContext.Current.TestState?.Result == TestResult.Skipped)
        {
            Artefacts.Delete(Dir);
        }
        else
        {
            _fixture.MarkFailed();
        }
        GC.SuppressFinalize(this);
    }
}

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// One switch process per test class (xunit creates a class fixture per class that asks for it):
/// sources are blocked per address after failed authentications, so classes must not share one.
/// Subclasses lay their own settings over the demo configuration.
/// </summary>
public abstract class SwitchFixture : IAsyncLifetime
{
    private int _failures;

    public HotlineSwitch Switch { get; private set; } = null!;

    public string Directory { get; private set; } = "";

    /// <summary>Settings laid over samples/demo/appsettings.json with --ConfigFile; null for none.</summary>
    protected virtual object? Overlay => null;

    public async ValueTask InitializeAsync()
    {
        Directory = Artefacts.NewDirectory("switch-" + GetType().Name);
        Switch = await HotlineSwitch.StartAsync(Directory, Overlay);
    }

    /// <summary>A test of this class failed: keep the switch's log and data.</summary>
    public void MarkFailed() => Interlocked.Increment(ref _failures);

    public async ValueTask DisposeAsync()
    {
        if (Switch is not null) await Switch.DisposeAsync();
        if (Volatile.Read(ref _failures) == 0) Artefacts.Delete(Directory);
    }

    /// <summary>Registrar Debug logging: every REGISTER is logged as "REGISTER {Aor} from {Source}: {Count} bindings".</summary>
    protected static object RegistrarDebugLogging => new Dictionary<string, string> { ["Hotline.Switch.Registrar"] = "Debug" };

    /// <summary>Extensions <paramref name="first"/>.. with password "pw" + number.</summary>
    public static object[] Extensions(int first, int count) =>
        Enumerable.Range(first, count).Select(n => (object)new { Number = n.ToString(), Name = $"Load {n}", Password = Password(n) }).ToArray();

    public static string Password(int number) => $"pw{number}";
}

/// <summary>The demo configuration as shipped: extensions 1001–1006, passwords hotline1001…</summary>
public sealed class DemoSwitch : SwitchFixture;

using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Engine;
using Hotline.Ivr.Flows;
using Hotline.Ivr.Prompts;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.Support;

/// <summary>Every prompt name resolves to "prompt:name", so tests read what was played by name.</summary>
internal sealed class NamedPrompts : IPromptResolver
{
    public HashSet<string> Missing { get; } = [];
    public string? Resolve(string name) => Missing.Contains(name) ? null : "prompt:" + name;
}

/// <summary>The IVR services over an in-memory store and a temporary data folder, on fake time.</summary>
internal sealed class IvrTestKit : IDisposable
{
    /// <summary>Monday 2030-05-06 10:00 in Beijing: inside working hours.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2030, 5, 6, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly MemoryStream _db = new();

    public IvrTestKit(DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? MondayMorning);
        DataDirectory = Path.Combine(Path.GetTempPath(), "hotline-ivr-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Store = new HotlineStore(_db, DataDirectory);
        Flows = new FlowService(new LiteDbFlowRepository(Store), Time);
        Schedules = new ScheduleService(Store, Time);
        Blacklist = new BlacklistService(Store, Time);
        Voicemail = new VoicemailService(Store, Time, NullLogger.Instance);
        CallPrompts = new CallPrompts(Prompts, NullLogger.Instance);
        VoicemailCalls = new VoicemailCalls(Voicemail, CallPrompts, NullLogger.Instance);
        Destinations = new CallDestinations();
        Interpreter = new FlowInterpreter(Flows, CallPrompts, Schedules, Blacklist, VoicemailCalls, Destinations,
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, Time, Path.Combine(DataDirectory, "recordings"), NullLogger.Instance)
        {
            BlacklistActions = new BlacklistCalls(CallPrompts, VoicemailCalls, NullLogger.Instance),
        };
    }

    public FakeTimeProvider Time { get; }
    public string DataDirectory { get; }
    public HotlineStore Store { get; }
    public NamedPrompts Prompts { get; } = new();
    public FlowService Flows { get; }
    public ScheduleService Schedules { get; }
    public BlacklistService Blacklist { get; }
    public VoicemailService Voicemail { get; }
    public CallPrompts CallPrompts { get; }
    public VoicemailCalls VoicemailCalls { get; }
    public CallDestinations Destinations { get; }
    public FlowInterpreter Interpreter { get; }

    public FakeCall Call(string caller = "13800138000", string dialled = "12345") => new(Time, caller, dialled);

    public void SaveFlow(string json) => Flows.Save(json);

    public Task<FlowResult> Run(FakeCall call, string flow, string? scope = null) => Interpreter.RunAsync(call, flow, scope, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

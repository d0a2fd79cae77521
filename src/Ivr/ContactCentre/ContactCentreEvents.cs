using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// One live event for the panel and wallboards. <see cref="Type"/> names it ("call.queued", "agent.state",
/// "conference.joined" …); <see cref="Data"/> is the event record, serialised as JSON.
/// </summary>
public sealed record ContactCentreEvent(long Sequence, DateTimeOffset At, string Type, object Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public string DataJson() => JsonSerializer.Serialize(Data, Data.GetType(), Json);

    /// <summary>
    /// The event as a Server-Sent Events message (HTML Living Standard §9.2): the sequence as its id, so a
    /// reconnecting browser's Last-Event-ID says what it missed.
    /// </summary>
    public string ToServerSentEvent() => $"id: {Sequence}\nevent: {Type}\ndata: {DataJson()}\n\n";
}

/// <summary>
/// Fans live events out to subscribers. Each subscriber has its own bounded buffer; one that reads too
/// slowly loses its oldest events (and can fetch a snapshot) rather than slowing the engine down.
/// </summary>
public sealed class ContactCentreEvents : IAcdObserver
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Subscription[] _subscribers = [];
    private long _sequence;

    public ContactCentreEvents(TimeProvider time) => _time = time;

    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>A new subscription; dispose it to stop. Events published from now on arrive in order.</summary>
    public Subscription Subscribe(int capacity = 1024)
    {
        var s = new Subscription(this, Channel.CreateBounded<ContactCentreEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }));
        lock (_lock) _subscribers = [.. _subscribers, s];
        return s;
    }

    public void Publish(string type, object data)
    {
        ContactCentreEvent e;
        Subscription[] subscribers;
        // Sequence numbers and delivery order must agree: take both under the lock.
        lock (_lock)
        {
            e = new ContactCentreEvent(++_sequence, _time.GetUtcNow(), type, data);
            subscribers = _subscribers;
            foreach (var s in subscribers) s.Writer.TryWrite(e);
        }
    }

    /// <summary>Engine notices become events; commands (offers, announcements) that say something about a call do too.</summary>
    public void OnOutputs(IReadOnlyList<AcdOutput> outputs)
    {
        foreach (var o in outputs)
        {
            var type = o switch
            {
                CallQueued => "call.queued",
                OfferCall => "call.offered",
                CallLeftQueue => "call.left",
                CallEnded => "call.ended",
                OverflowCall => "call.overflowed",
                AgentStateChanged => "agent.state",
                EngineFault => "engine.fault",
                _ => null,
            };
            if (type is not null) Publish(type, o);
        }
    }

    private void Remove(Subscription s)
    {
        lock (_lock) _subscribers = _subscribers.Where(x => x != s).ToArray();
        s.Writer.TryComplete();
    }

    public sealed class Subscription : IDisposable
    {
        private readonly ContactCentreEvents _owner;
        private readonly Channel<ContactCentreEvent> _channel;

        internal Subscription(ContactCentreEvents owner, Channel<ContactCentreEvent> channel)
        {
            _owner = owner;
            _channel = channel;
        }

        public ChannelReader<ContactCentreEvent> Reader => _channel.Reader;
        internal ChannelWriter<ContactCentreEvent> Writer => _channel.Writer;

        public void Dispose() => _owner.Remove(this);
    }
}

using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// The list of callers to call back: those who hung up while waiting (longer than a misdial) and
/// callbacks that could not reach their citizen. Someone takes an entry by scheduling a callback (it
/// joins the queue again, ahead of new callers) or by marking it done after calling by hand.
/// </summary>
public sealed class AbandonedCalls : IAcdObserver
{
    /// <summary>Callbacks taken from the list go ahead of new callers of normal priority.</summary>
    public const int CallbackPriority = 1;

    private readonly AcdEngine _engine;
    private readonly IContactCentreRepository _repository;
    private readonly StoreWriter _writer;
    private readonly TimeSpan _shortAbandon;
    private readonly TimeProvider _time;
    private readonly Lock _taking = new(); // two supervisors taking the same entry: only one wins

    public AbandonedCalls(AcdEngine engine, IContactCentreRepository repository, StoreWriter writer, TimeSpan shortAbandon)
    {
        _engine = engine;
        _repository = repository;
        _writer = writer;
        _shortAbandon = shortAbandon;
        _time = engine.Time;
    }

    public void OnOutputs(IReadOnlyList<AcdOutput> outputs)
    {
        foreach (var o in outputs)
        {
            if (o is not CallLeftQueue left) continue;
            bool list = left.Reason == LeaveReason.CallbackFailed || (left.Reason == LeaveReason.Abandoned && left.Waited >= _shortAbandon);
            if (!list) continue;
            var entry = new AbandonedCall
            {
                Id = left.CallId,
                CallId = left.CallId,
                Queue = left.Queue,
                Caller = left.Caller,
                Abandoned = left.At,
                WaitedSeconds = (int)left.Waited.TotalSeconds,
                Reason = left.Reason == LeaveReason.CallbackFailed ? "callback-failed" : "abandoned",
            };
            _writer.Post(() => _repository.SaveAbandoned(entry));
        }
    }

    public IReadOnlyList<AbandonedCall> List(bool includeHandled = false, int limit = 200) => _repository.Abandoned(includeHandled, limit);

    /// <summary>
    /// Puts the caller back in a queue as a callback (their original queue unless another is named);
    /// false when the entry is unknown or already taken.
    /// </summary>
    public bool ScheduleCallback(string id, string by, string? queue = null)
    {
        AbandonedCall? entry;
        lock (_taking)
        {
            entry = _repository.FindAbandoned(id);
            if (entry is null || entry.Handled is not null) return false;
            Take(entry, by);
        }
        _engine.Post(new CallbackScheduled(default, $"callback-{entry.Id}", queue ?? entry.Queue, entry.Caller, CallbackPriority));
        return true;
    }

    /// <summary>Marks an entry done (the caller was reached another way).</summary>
    public bool MarkHandled(string id, string by)
    {
        lock (_taking)
        {
            var entry = _repository.FindAbandoned(id);
            if (entry is null || entry.Handled is not null) return false;
            Take(entry, by);
            return true;
        }
    }

    private void Take(AbandonedCall entry, string by)
    {
        entry.Handled = _time.GetUtcNow();
        entry.HandledBy = by;
        _repository.SaveAbandoned(entry);
    }
}

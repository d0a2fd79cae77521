using Hotline.Ivr.Storage;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Campaigns;

/// <summary>
/// Campaigns and their numbers in the store. Every change to a number is written before the dialer acts on
/// it, so the store is always the truth a restarted dialer resumes from.
/// </summary>
public sealed class CampaignStore
{
    static CampaignStore()
    {
        LiteDbMappers.Warm<NumberDocument>();
        LiteDbMappers.Warm<AttemptDocument>();
    }

    private readonly JsonCollection<Campaign> _campaigns;
    private readonly ILiteCollection<NumberDocument> _numbers;
    private readonly HotlineStore _store;

    public CampaignStore(HotlineStore store)
    {
        _store = store;
        _campaigns = new JsonCollection<Campaign>(store, "ivr_campaigns");
        _numbers = store.Collection<NumberDocument>("ivr_campaign_numbers");
        _numbers.EnsureIndex(n => n.Campaign);
        _numbers.EnsureIndex(n => n.State);
    }

    public Campaign? Get(string id) => _campaigns.Find(id);
    public IReadOnlyList<Campaign> List() => _campaigns.All();

    /// <summary>Counts every campaign saved or deleted in this store (see <see cref="JsonCollection{T}.Writes"/>).</summary>
    public long CampaignWrites => _campaigns.Writes;

    public void Save(Campaign campaign) => _campaigns.Save(campaign.Id, campaign);

    public void Delete(string id)
    {
        _store.InTransaction(() =>
        {
            _numbers.DeleteMany(n => n.Campaign == id);
            _campaigns.Delete(id);
        });
    }

    public int NextSeq(string campaign) => _numbers.Find(n => n.Campaign == campaign).Select(n => n.Seq).DefaultIfEmpty(0).Max() + 1;

    public void Add(IEnumerable<CampaignNumber> numbers)
    {
        var docs = numbers.Select(NumberDocument.From).ToList();
        _store.InTransaction(() => _numbers.InsertBulk(docs));
    }

    public void Save(CampaignNumber number) => _numbers.Upsert(NumberDocument.From(number));

    public CampaignNumber? Find(string campaign, int seq) => _numbers.FindById(CampaignNumber.NumberKey(campaign, seq))?.ToNumber();

    public IReadOnlyList<CampaignNumber> Numbers(string campaign, int skip = 0, int limit = int.MaxValue) =>
        _numbers.Query().Where(n => n.Campaign == campaign).OrderBy(n => n.Seq).Skip(skip).Limit(limit).ToList().Select(d => d.ToNumber()).ToList();

    public IReadOnlyList<CampaignNumber> InState(string campaign, NumberState state)
    {
        // LiteDB's expression translator needs the enum turned into a plain int first.
        var wanted = (int)state;
        return _numbers.Find(n => n.Campaign == campaign && n.State == wanted).Select(d => d.ToNumber()).ToList();
    }

    /// <summary>
    /// Numbers due now: retries whose time has come (earliest first, so their delays hold), then numbers never
    /// called, in the order they were given.
    /// </summary>
    public IReadOnlyList<CampaignNumber> Due(string campaign, DateTimeOffset now, int limit)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = _numbers.Query().Where(n => n.Campaign == campaign && n.State == (int)NumberState.Waiting && n.NextAttemptMs <= nowMs)
            .OrderBy(n => n.NextAttemptMs).Limit(limit).ToList();
        if (due.Count < limit)
            due.AddRange(_numbers.Query().Where(n => n.Campaign == campaign && n.State == (int)NumberState.Pending).OrderBy(n => n.Seq).Limit(limit - due.Count).ToList());
        return due.Select(d => d.ToNumber()).ToList();
    }

    /// <summary>When the next waiting number falls due, or null.</summary>
    public DateTimeOffset? NextRetry(string campaign)
    {
        var next = _numbers.Query().Where(n => n.Campaign == campaign && n.State == (int)NumberState.Waiting).OrderBy(n => n.NextAttemptMs).Limit(1).FirstOrDefault();
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(next.NextAttemptMs);
    }

    public bool AnyOpen(string campaign) => _numbers.Exists(n => n.Campaign == campaign && n.State != (int)NumberState.Done);

    public CampaignTotals Totals(string campaign)
    {
        int numbers = 0, pending = 0, progress = 0, calls = 0;
        var outcomes = new int[Enum.GetValues<CallOutcome>().Length];
        foreach (var n in _numbers.Find(n => n.Campaign == campaign))
        {
            numbers++;
            calls += n.Attempts;
            if (n.State == (int)NumberState.Done) outcomes[n.Outcome]++;
            else if (n.State == (int)NumberState.Dialling) progress++;
            else pending++;
        }
        int O(CallOutcome o) => outcomes[(int)o];
        return new CampaignTotals(numbers, pending, progress, O(CallOutcome.Answered), O(CallOutcome.Confirmed), O(CallOutcome.Busy), O(CallOutcome.NoAnswer),
            O(CallOutcome.Failed), O(CallOutcome.Rejected), O(CallOutcome.Interrupted), O(CallOutcome.Blacklisted), O(CallOutcome.Cancelled), calls);
    }

    private sealed class NumberDocument
    {
        [BsonId] public string Id { get; set; } = "";
        public string Campaign { get; set; } = "";
        public int Seq { get; set; }
        public string Number { get; set; } = "";
        public int State { get; set; }
        public int Outcome { get; set; } = -1;
        public int Attempts { get; set; }
        public long NextAttemptMs { get; set; }
        public List<AttemptDocument> Log { get; set; } = [];

        public CampaignNumber ToNumber() => new()
        {
            Campaign = Campaign, Seq = Seq, Number = Number, State = (NumberState)State, Outcome = Outcome < 0 ? null : (CallOutcome)Outcome,
            Attempts = Attempts, NextAttempt = NextAttemptMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(NextAttemptMs),
            Log = (Log ?? []).Select(a => new CampaignAttempt(DateTimeOffset.FromUnixTimeMilliseconds(a.StartedMs),
                a.EndedMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(a.EndedMs), a.Outcome < 0 ? null : (CallOutcome)a.Outcome, a.Status)).ToList(),
        };

        public static NumberDocument From(CampaignNumber n) => new()
        {
            Id = n.Key, Campaign = n.Campaign, Seq = n.Seq, Number = n.Number, State = (int)n.State, Outcome = n.Outcome is { } o ? (int)o : -1,
            Attempts = n.Attempts, NextAttemptMs = n.NextAttempt?.ToUnixTimeMilliseconds() ?? 0,
            Log = n.Log.Select(a => new AttemptDocument { StartedMs = a.Started.ToUnixTimeMilliseconds(), EndedMs = a.Ended?.ToUnixTimeMilliseconds() ?? 0,
                Outcome = a.Outcome is { } x ? (int)x : -1, Status = a.Status }).ToList(),
        };
    }

    private sealed class AttemptDocument
    {
        public long StartedMs { get; set; }
        public long EndedMs { get; set; }
        public int Outcome { get; set; } = -1;
        public int Status { get; set; }
    }
}

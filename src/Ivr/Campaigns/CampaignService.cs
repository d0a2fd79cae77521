using Hotline.Ivr.Blacklist;

namespace Hotline.Ivr.Campaigns;

/// <summary>
/// Campaigns for the REST API and panel: create with numbers, add numbers, start, pause, resume, cancel, and
/// read per-number results and totals. The dialer does the calling.
/// </summary>
public sealed class CampaignService(CampaignStore store, TimeProvider time)
{
    public CampaignStore Store => store;

    public IReadOnlyList<Campaign> List() => store.List();
    public Campaign? Get(string id) => store.Get(id);
    public CampaignTotals Totals(string id) => store.Totals(id);
    public IReadOnlyList<CampaignNumber> Numbers(string id, int skip = 0, int limit = 1000) => store.Numbers(id, skip, limit);

    /// <summary>Creates a campaign (in Draft) with its numbers; numbers are cleaned of spaces and dashes and de-duplicated.</summary>
    public Campaign Create(Campaign campaign, IEnumerable<string> numbers)
    {
        var problems = campaign.Problems().ToList();
        if (store.Get(campaign.Id) is not null) problems.Add($"id '{campaign.Id}' already exists");
        var cleaned = Clean(numbers, problems);
        IvrValidationException.ThrowIfAny(problems);
        var created = campaign with { State = CampaignState.Draft, Created = time.GetUtcNow(), Started = null, Finished = null };
        store.Save(created);
        store.Add(cleaned.Select((n, i) => new CampaignNumber { Campaign = created.Id, Seq = i + 1, Number = n }));
        return created;
    }

    /// <summary>Adds numbers to a campaign that is not finished; numbers it already has are skipped. Returns how many were added.</summary>
    public int AddNumbers(string id, IEnumerable<string> numbers)
    {
        var campaign = Require(id);
        if (campaign.State is CampaignState.Cancelled or CampaignState.Completed) throw new IvrValidationException([$"campaign {id} is {campaign.State.ToString().ToLowerInvariant()}"]);
        var problems = new List<string>();
        var have = store.Numbers(id).Select(n => n.Number).ToHashSet(StringComparer.Ordinal);
        var fresh = Clean(numbers, problems).Where(n => !have.Contains(n)).ToList();
        IvrValidationException.ThrowIfAny(problems);
        var seq = store.NextSeq(id);
        store.Add(fresh.Select((n, i) => new CampaignNumber { Campaign = id, Seq = seq + i, Number = n }));
        return fresh.Count;
    }

    public Campaign Start(string id) => Transition(id, CampaignState.Running, CampaignState.Draft, CampaignState.Paused);
    public Campaign Pause(string id) => Transition(id, CampaignState.Paused, CampaignState.Running);
    public Campaign Resume(string id) => Transition(id, CampaignState.Running, CampaignState.Paused);

    /// <summary>Stops a campaign for good: numbers not yet called (or waiting for a retry) are marked cancelled; calls in progress finish.</summary>
    public Campaign Cancel(string id)
    {
        var campaign = Transition(id, CampaignState.Cancelled, CampaignState.Draft, CampaignState.Running, CampaignState.Paused);
        foreach (var state in new[] { NumberState.Pending, NumberState.Waiting })
        {
            foreach (var n in store.InState(id, state)) store.Save(n with { State = NumberState.Done, Outcome = CallOutcome.Cancelled, NextAttempt = null });
        }
        return campaign;
    }

    public bool Delete(string id)
    {
        var campaign = store.Get(id);
        if (campaign is null) return false;
        if (campaign.State == CampaignState.Running) throw new IvrValidationException([$"campaign {id} is running: pause or cancel it first"]);
        store.Delete(id);
        return true;
    }

    private Campaign Transition(string id, CampaignState to, params CampaignState[] from)
    {
        var campaign = Require(id);
        if (campaign.State == to) return campaign;
        if (!from.Contains(campaign.State))
            throw new IvrValidationException([$"campaign {id} is {campaign.State.ToString().ToLowerInvariant()}; it cannot become {to.ToString().ToLowerInvariant()}"]);
        var now = time.GetUtcNow();
        var changed = campaign with
        {
            State = to,
            Started = campaign.Started ?? (to == CampaignState.Running ? now : null),
            Finished = to is CampaignState.Cancelled or CampaignState.Completed ? now : null,
        };
        store.Save(changed);
        return changed;
    }

    private Campaign Require(string id) => store.Get(id) ?? throw new IvrValidationException([$"no campaign '{id}'"]);

    private static List<string> Clean(IEnumerable<string> numbers, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        var line = 0;
        foreach (var raw in numbers)
        {
            line++;
            var text = raw.Trim();
            if (text.Length == 0) continue;
            var plus = text.StartsWith('+');
            var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length < 3 || digits.Length > 20 || text.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '+' or '(' or ')')))
            {
                problems.Add($"numbers[{line - 1}]: '{raw}' is not a phone number");
                continue;
            }
            var number = plus ? "+" + digits : digits;
            if (seen.Add(number)) list.Add(number);
        }
        if (list.Count == 0 && problems.Count == 0) problems.Add("numbers: at least one number is needed");
        return list;
    }

    /// <summary>Whether a number would be skipped by the blacklist (for the panel's preview).</summary>
    public static bool Blacklisted(BlacklistService blacklist, string number) => blacklist.Find(number) is not null;
}

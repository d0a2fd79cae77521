using System.Globalization;
using System.Text;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Campaigns;

namespace Hotline.Admin.Ivr;

/// <summary>A campaign with its totals now (numbers, delivered, failed, in progress).</summary>
public sealed record CampaignStatus(Campaign Campaign, CampaignTotals Totals)
{
    /// <summary>Numbers finished, in percent of all numbers.</summary>
    public double Progress => Totals.Numbers == 0 ? 0 : Math.Round(100.0 * Totals.Finished / Totals.Numbers, 1);
}

public enum CampaignCommand { Start, Pause, Resume, Cancel }

/// <summary>
/// Notification campaigns (语音通知) through the panel and the API: created from a number list (typed, or an
/// uploaded .xlsx/.csv/.txt), numbers added later, started, paused, resumed and cancelled, with totals and
/// per-number results (and a CSV of them). The message prompt must exist. Every change is audited.
/// </summary>
public sealed class CampaignAdmin(IvrServices ivr, AuditLog audit)
{
    private CampaignService Campaigns => ivr.Campaigns;

    public IReadOnlyList<CampaignStatus> List() => Campaigns.List().OrderByDescending(c => c.Created).Select(c => new CampaignStatus(c, Campaigns.Totals(c.Id))).ToList();

    public CampaignStatus? Get(string id) => Campaigns.Get(id) is { } c ? new CampaignStatus(c, Campaigns.Totals(c.Id)) : null;

    public IReadOnlyList<CampaignNumber>? Numbers(string id, int skip, int limit) => Campaigns.Get(id) is null ? null : Campaigns.Numbers(id, skip, limit);

    public Outcome<CampaignStatus> Create(Campaign input, IReadOnlyList<ListedNumber> numbers, Actor actor)
    {
        var wanted = input with
        {
            Id = input.Id?.Trim() ?? "", Name = input.Name?.Trim() ?? "", Message = input.Message?.Trim() ?? "", CallerId = input.CallerId?.Trim() ?? "",
            Schedule = string.IsNullOrWhiteSpace(input.Schedule) ? null : input.Schedule.Trim(), RetryOn = input.RetryOn ?? [CallOutcome.Busy, CallOutcome.NoAnswer],
        };
        var problems = References(wanted);
        if (wanted.CallerId.Length > 0 && !wanted.CallerId.TrimStart('+').All(char.IsAsciiDigit)) problems.Add($"callerId '{wanted.CallerId}' must be a phone number");
        if (problems.Count > 0) return Outcome<CampaignStatus>.Invalid(IvrProblems.Parse(problems));
        Campaign created;
        try
        {
            created = Campaigns.Create(wanted, numbers.Select(n => n.Number));
        }
        catch (IvrValidationException e)
        {
            return Outcome<CampaignStatus>.Invalid(IvrProblems.Parse(Lines(e.Problems, numbers)));
        }
        var totals = Campaigns.Totals(created.Id);
        audit.Write(actor.Name, "campaign.create", created.Id,
            [new AuditChange { Field = "Name", New = created.Name }, new AuditChange { Field = "Message", New = created.Message },
             new AuditChange { Field = "Numbers", New = totals.Numbers.ToString(CultureInfo.InvariantCulture) }], actor.Address);
        return new CampaignStatus(created, totals);
    }

    public Outcome<CampaignStatus> AddNumbers(string id, IReadOnlyList<ListedNumber> numbers, Actor actor)
    {
        if (Campaigns.Get(id) is null) return Outcome<CampaignStatus>.NotFound();
        int added;
        try
        {
            added = Campaigns.AddNumbers(id, numbers.Select(n => n.Number));
        }
        catch (IvrValidationException e)
        {
            var problems = Lines(e.Problems, numbers);
            return problems.Any(p => p.StartsWith("numbers", StringComparison.Ordinal))
                ? Outcome<CampaignStatus>.Invalid(IvrProblems.Parse(problems)) : Outcome<CampaignStatus>.Refused(string.Join("; ", problems));
        }
        audit.Write(actor.Name, "campaign.numbers", id, [new AuditChange { Field = "Added", New = added.ToString(CultureInfo.InvariantCulture) }], actor.Address);
        return Get(id)!;
    }

    public Outcome<CampaignStatus> Run(string id, CampaignCommand command, Actor actor)
    {
        var before = Campaigns.Get(id);
        if (before is null) return Outcome<CampaignStatus>.NotFound();
        if (command is CampaignCommand.Start or CampaignCommand.Resume && References(before) is { Count: > 0 } missing)
            return Outcome<CampaignStatus>.Invalid(IvrProblems.Parse(missing));
        Campaign after;
        try
        {
            after = command switch
            {
                CampaignCommand.Start => Campaigns.Start(id),
                CampaignCommand.Pause => Campaigns.Pause(id),
                CampaignCommand.Resume => Campaigns.Resume(id),
                _ => Campaigns.Cancel(id),
            };
        }
        catch (IvrValidationException e)
        {
            return Outcome<CampaignStatus>.Refused(string.Join("; ", e.Problems));
        }
        audit.Write(actor.Name, "campaign." + command.ToString().ToLowerInvariant(), id,
            [new AuditChange { Field = "State", Old = before.State.ToString(), New = after.State.ToString() }], actor.Address);
        return Get(id)!;
    }

    public Outcome<CampaignStatus> Delete(string id, Actor actor)
    {
        var before = Get(id);
        if (before is null) return Outcome<CampaignStatus>.NotFound();
        try
        {
            Campaigns.Delete(id);
        }
        catch (IvrValidationException e)
        {
            return Outcome<CampaignStatus>.Refused(string.Join("; ", e.Problems));
        }
        audit.Write(actor.Name, "campaign.delete", id,
            [new AuditChange { Field = "State", Old = before.Campaign.State.ToString() }, new AuditChange { Field = "Numbers", Old = before.Totals.Numbers.ToString(CultureInfo.InvariantCulture) }], actor.Address);
        return before;
    }

    /// <summary>Per-number results as CSV (RFC 4180, UTF-8 with a byte-order mark so Excel reads the Chinese headings).</summary>
    public byte[]? ResultsCsv(string id)
    {
        if (Campaigns.Get(id) is null) return null;
        var sb = new StringBuilder("seq,number,state,outcome,attempts,last_started,last_ended,last_status\r\n");
        foreach (var n in Campaigns.Numbers(id, 0, int.MaxValue))
        {
            var last = n.Log.Count > 0 ? n.Log[^1] : null;
            sb.Append(CultureInfo.InvariantCulture,
                $"{n.Seq},{n.Number},{n.State},{n.Outcome},{n.Attempts},{last?.Started.ToString("O")},{last?.Ended?.ToString("O")},{(last is null ? "" : last.Status)}\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private List<string> References(Campaign c)
    {
        var problems = new List<string>();
        // A name the library does not accept is reported by the campaign's own check.
        if (ivr.Prompts.Get(c.Message ?? "") is not null && !ivr.Prompts.Exists(c.Message!))
            problems.Add($"message: no prompt '{c.Message}' (upload it on the prompts page or record it by phone first)");
        if (c.Schedule is { } s && !ivr.Schedules.Exists(s)) problems.Add($"schedule '{s}' does not exist");
        return problems;
    }

    /// <summary>"numbers[3]: …" from the campaign service → "numbers: line 5: …", the line of the upload.</summary>
    private static List<string> Lines(IReadOnlyList<string> problems, IReadOnlyList<ListedNumber> numbers) =>
        problems.Select(p =>
        {
            if (!p.StartsWith("numbers[", StringComparison.Ordinal)) return p;
            var close = p.IndexOf(']');
            return int.TryParse(p.AsSpan(8, close - 8), CultureInfo.InvariantCulture, out var i) && i < numbers.Count
                ? $"numbers: line {numbers[i].Line}{p[(close + 1)..]}" : p;
        }).ToList();
}

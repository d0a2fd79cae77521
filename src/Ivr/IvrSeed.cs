using System.Text.Json;
using System.Text.Json.Nodes;
using Hotline.Ivr.Blacklist;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Prompts;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Storage;
using Hotline.Ivr.Voicemail;

namespace Hotline.Ivr;

/// <summary>A mailbox as a bundle writes it: the PIN in clear, hashed on the way into the store.</summary>
public sealed record MailboxSeed
{
    public required Mailbox Mailbox { get; init; }
    public string? Pin { get; init; }
}

/// <summary>
/// An IVR bundle: one JSON file with flows (as flow documents), schedules, calendars, hotlines, mailboxes,
/// blacklist entries, follow-me profiles and prompt metadata (codes, words for the speech synthesiser).
/// Seeding puts it into the store like the switch's other configuration seeds: a record changed through the
/// API since (its source is no longer "config") is left alone; one still owned by the file follows the file.
/// </summary>
public static class IvrSeed
{
    public sealed record Counts(int Flows, int Schedules, int Calendars, int Hotlines, int Mailboxes, int Blacklist, int FollowMe, int Prompts);

    public static Counts Apply(string path, IvrServices ivr)
    {
        JsonObject bundle;
        try
        {
            bundle = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?.AsObject()
                ?? throw new InvalidOperationException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path}: not valid JSON ({e.Message})", e);
        }
        int flows = 0, schedules = 0, calendars = 0, hotlines = 0, mailboxes = 0, blacklist = 0, followMe = 0, prompts = 0;
        foreach (var (name, node) in Items(bundle, "flows"))
        {
            var json = node.ToJsonString();
            var id = node["id"]?.GetValue<string>() ?? name;
            if (ivr.Flows.GetDocument(id) is { Source: not "config" }) continue;
            if (ivr.Flows.GetDocument(id)?.Json == json) continue;
            try
            {
                ivr.Flows.Save(json, source: "config");
            }
            catch (Flows.FlowValidationException e)
            {
                throw new InvalidOperationException($"{path}: {name}: {e.Message}", e);
            }
            flows++;
        }
        foreach (var c in Read<HolidayCalendar>(path, bundle, "calendars"))
        {
            if (ivr.Schedules.GetCalendar(c.Id) is { Source: not "config" }) continue;
            ivr.Schedules.SaveCalendar(c with { Source = "config" });
            calendars++;
        }
        foreach (var s in Read<Schedule>(path, bundle, "schedules"))
        {
            if (ivr.Schedules.Get(s.Id) is { Source: not "config" }) continue;
            // The night-service switch is operated through the API: seeding must not turn it off.
            var current = ivr.Schedules.Get(s.Id);
            ivr.Schedules.Save(s with { Source = "config", NightService = current?.NightService ?? s.NightService, NightServiceUntil = current?.NightServiceUntil ?? s.NightServiceUntil });
            schedules++;
        }
        foreach (var m in Read<MailboxSeed>(path, bundle, "mailboxes"))
        {
            var existing = ivr.Voicemail.GetMailbox(m.Mailbox.Id);
            if (existing is { Source: not "config" }) continue;
            var pin = existing is not null && m.Pin is not null && existing.VerifyPin(m.Pin) ? null : m.Pin;
            ivr.Voicemail.SaveMailbox(m.Mailbox with { Source = "config" }, pin);
            mailboxes++;
        }
        foreach (var h in Read<HotlineEntry>(path, bundle, "hotlines"))
        {
            if (ivr.Hotlines.Get(h.Id) is { Source: not "config" }) continue;
            ivr.Hotlines.Save(h with { Source = "config" });
            hotlines++;
        }
        foreach (var f in Read<FollowMeProfile>(path, bundle, "followMe"))
        {
            if (ivr.FollowMe.Get(f.Id) is { Source: not "config" }) continue;
            ivr.FollowMe.Save(f with { Source = "config" });
            followMe++;
        }
        foreach (var b in Read<BlacklistEntry>(path, bundle, "blacklist"))
        {
            if (b.Id.Length == 0) throw new InvalidOperationException($"{path}: blacklist entries in a bundle need an id");
            if (ivr.Blacklist.Get(b.Id) is not null) continue;
            ivr.Blacklist.Save(b);
            blacklist++;
        }
        foreach (var p in Read<PromptMeta>(path, bundle, "prompts"))
        {
            ivr.Prompts.SaveMeta(p);
            prompts++;
        }
        return new Counts(flows, schedules, calendars, hotlines, mailboxes, blacklist, followMe, prompts);
    }

    private static IEnumerable<(string Name, JsonNode Node)> Items(JsonObject bundle, string section)
    {
        if (bundle[section] is not JsonArray array) yield break;
        var i = 0;
        foreach (var item in array)
        {
            if (item is not null) yield return ($"{section}[{i}]", item);
            i++;
        }
    }

    private static IEnumerable<T> Read<T>(string path, JsonObject bundle, string section)
    {
        foreach (var (name, node) in Items(bundle, section))
        {
            T? value;
            try
            {
                value = node.Deserialize<T>(IvrJson.Options);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{path}: {name}: {e.Message}", e);
            }
            if (value is null) throw new InvalidOperationException($"{path}: {name} is empty");
            yield return value;
        }
    }
}

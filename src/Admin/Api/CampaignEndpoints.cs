using System.Text.Json;
using System.Text.Json.Nodes;
using Hotline.Admin.Ivr;
using Hotline.Admin.Security;
using Hotline.Ivr.Campaigns;
using Hotline.Ivr.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>
/// Notification campaigns: create (JSON with the numbers, or a multipart form with the campaign as JSON and the
/// number list as a file), add numbers, start, pause, resume, cancel, results. Supervisors run them.
/// </summary>
internal static class CampaignEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").RequireAuthorization(Policies.Supervise).WithTags("Campaigns");
        api.MapGet("", (CampaignAdmin s) => IvrBodies.Json(s.List())).Produces<CampaignStatus[]>().WithSummary("Campaigns with totals and progress");
        api.MapGet("/{id}", (string id, CampaignAdmin s) => s.Get(id) is { } c ? IvrBodies.Json(c) : Results.NotFound()).Produces<CampaignStatus>()
            .WithSummary("One campaign with its totals: delivered, failed, in progress, pending");
        api.MapPost("", async (HttpContext http, CampaignAdmin s) =>
        {
            var (campaign, numbers, problem) = await ReadCreateAsync(http);
            return problem ?? s.Create(campaign!, numbers, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        }).Accepts<Campaign>("application/json", "multipart/form-data")
            .WithSummary("Create a campaign (Draft): JSON with a 'numbers' array, or a form with 'campaign' (JSON) and 'numbers' (a .xlsx, .csv or .txt file)");
        api.MapPost("/{id}/numbers", async (HttpContext http, string id, CampaignAdmin s) =>
        {
            var (numbers, problem) = await ReadNumbersAsync(http);
            return problem ?? s.AddNumbers(id, numbers, http.ActorOf()).ToIvrResult();
        }).Accepts<string[]>("application/json", "text/plain", "text/csv", "multipart/form-data").WithSummary("Add numbers (ones already listed are skipped)");
        foreach (var command in Enum.GetValues<CampaignCommand>())
        {
            api.MapPost($"/{{id}}/{command.ToString().ToLowerInvariant()}", (HttpContext http, string id, CampaignAdmin s) => s.Run(id, command, http.ActorOf()).ToIvrResult())
                .WithSummary(command switch
                {
                    CampaignCommand.Start => "Start calling (within the campaign's window and schedule)",
                    CampaignCommand.Pause => "Pause: calls in progress finish, no new ones start",
                    CampaignCommand.Resume => "Resume a paused campaign",
                    _ => "Cancel for good: numbers not yet called are marked cancelled",
                });
        }
        api.MapGet("/{id}/numbers", (string id, int? skip, int? limit, CampaignAdmin s) =>
        {
            var n = limit ?? 100;
            if (n is < 1 or > 5000) return ApiHelpers.Invalid("limit", "must be between 1 and 5000");
            if (skip < 0) return ApiHelpers.Invalid("skip", "must not be negative");
            return s.Numbers(id, skip ?? 0, n) is { } list ? IvrBodies.Json(list) : Results.NotFound();
        }).Produces<CampaignNumber[]>().WithSummary("Per-number results: state, outcome, attempts with their times and SIP status");
        api.MapGet("/{id}/results.csv", (string id, CampaignAdmin s) => s.ResultsCsv(id) is { } csv ? Results.File(csv, "text/csv; charset=utf-8", $"{id}-results.csv") : Results.NotFound())
            .WithSummary("Per-number results as CSV");
        api.MapDelete("/{id}", (HttpContext http, string id, CampaignAdmin s) => s.Delete(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .WithSummary("Delete a campaign that is not running, with its results");
    }

    private static async Task<(Campaign? Campaign, IReadOnlyList<ListedNumber> Numbers, IResult? Problem)> ReadCreateAsync(HttpContext http)
    {
        JsonObject? body;
        IReadOnlyList<ListedNumber> numbers = [];
        try
        {
            if (http.Request.HasFormContentType)
            {
                var (form, unreadable) = await ReadFormAsync(http);
                if (form is null) return (null, [], unreadable);
                body = JsonNode.Parse(form["campaign"].ToString() is { Length: > 0 } j ? j : "{}") as JsonObject;
                if (form.Files.GetFile("numbers") is { } file)
                {
                    if (file.Length > NumberList.MaxBytes) return (null, [], ApiHelpers.Invalid("numbers", $"the file must be at most {NumberList.MaxBytes / 1024 / 1024} MB"));
                    await using var stream = file.OpenReadStream();
                    numbers = NumberList.Read(stream, file.FileName);
                }
            }
            else
            {
                body = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body, IvrJson.Options, http.RequestAborted);
                if (body?["numbers"] is JsonArray list) numbers = list.Select((n, i) => new ListedNumber(n?.ToString() ?? "", i + 1)).ToList();
            }
            if (body is null) return (null, [], ApiHelpers.Invalid("(document)", "must be a JSON object"));
            body.Remove("numbers");
            var campaign = body.Deserialize<Campaign>(IvrJson.Options);
            return campaign is null ? (null, [], ApiHelpers.Invalid("(document)", "must be a JSON object")) : (campaign, numbers, null);
        }
        catch (JsonException e)
        {
            var field = e.Message.Contains("missing required properties", StringComparison.Ordinal) ? RequiredName(e.Message) : (e.Path ?? "$").TrimStart('$', '.');
            return (null, [], ApiHelpers.Invalid(field.Length == 0 ? "(document)" : field, e.Message.Split(" Path:")[0]));
        }
    }

    private static string RequiredName(string message)
    {
        var start = message.IndexOf("including: '", StringComparison.Ordinal);
        if (start < 0) return "(document)";
        start += "including: '".Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : "(document)";
    }

    // A multipart body without its boundary, or cut short, is the client's mistake: 400, not 500.
    private static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpContext http)
    {
        try
        {
            return (await http.Request.ReadFormAsync(http.RequestAborted), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return (null, ApiHelpers.Invalid("(document)", $"not a readable form: {e.Message}"));
        }
    }

    private static async Task<(IReadOnlyList<ListedNumber> Numbers, IResult? Problem)> ReadNumbersAsync(HttpContext http)
    {
        if (http.Request.HasFormContentType)
        {
            var (form, unreadable) = await ReadFormAsync(http);
            if (form is null) return ([], unreadable);
            if (form.Files.GetFile("numbers") is not { } file) return ([], ApiHelpers.Invalid("numbers", "attach the list as the form's 'numbers' file"));
            await using var stream = file.OpenReadStream();
            return (NumberList.Read(stream, file.FileName), null);
        }
        if (http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var list = await JsonSerializer.DeserializeAsync<string[]>(http.Request.Body, cancellationToken: http.RequestAborted) ?? [];
                return (list.Select((n, i) => new ListedNumber(n, i + 1)).ToList(), null);
            }
            catch (JsonException)
            {
                return ([], ApiHelpers.Invalid("numbers", "must be a JSON array of strings"));
            }
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        buffer.Position = 0;
        return (NumberList.Read(buffer, "numbers.txt"), null);
    }
}

using Hotline.Admin.Ivr;
using Hotline.Admin.Security;
using Hotline.Ivr.Flows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>IVR flows (documents: upload, validate, download, tree) and prompts (WAV upload, playback, metadata).</summary>
internal static class FlowEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var flows = app.MapGroup("/api/flows").RequireAuthorization(Policies.Supervise).WithTags("IVR flows");
        flows.MapGet("", (FlowAdmin s) => Results.Ok(s.List())).WithSummary("Flows: id, name, version, nodes, source");
        flows.MapGet("/schema", () => Results.Text(FlowService.Schema, "application/schema+json")).WithSummary("The JSON Schema of flow documents (for editors)");
        flows.MapGet("/{id}", (string id, bool? download, FlowAdmin s) => s.Document(id) is not { } d ? Results.NotFound()
                : download == true ? Results.File(System.Text.Encoding.UTF8.GetBytes(d.Json), "application/json", $"{id}.json")
                : Results.Text(d.Json, "application/json; charset=utf-8"))
            .WithSummary("The flow document exactly as saved (download=true for an attachment)");
        flows.MapGet("/{id}/tree", (string id, FlowAdmin s) => s.Tree(id) is { } t ? Results.Ok(t) : Results.NotFound())
            .WithSummary("The flow drawn as a tree from its start node (loops and shared nodes as references)");
        flows.MapPost("/validate", async (HttpContext http, FlowAdmin s) =>
        {
            var (json, problem) = await IvrBodies.ReadTextAsync(http);
            return problem ?? Results.Ok(s.Validate(json!));
        }).Accepts<object>("application/json").WithSummary("Check a flow document without saving: errors and warnings, each naming node and field");
        flows.MapPost("", async (HttpContext http, FlowAdmin s) =>
        {
            var (json, problem) = await IvrBodies.ReadTextAsync(http);
            return problem ?? s.Save(json!, null, http.ActorOf()).ToResult(f => Results.Created($"/api/flows/{f.Id}", f));
        }).Accepts<object>("application/json").RequireAuthorization(Policies.Admin)
            .WithSummary("Upload a new flow document (its id is inside); refused with every error keyed nodes.<node>.<field>");
        flows.MapPut("/{id}", async (HttpContext http, string id, FlowAdmin s) =>
        {
            var (json, problem) = await IvrBodies.ReadTextAsync(http);
            return problem ?? s.Save(json!, id, http.ActorOf()).ToResult();
        }).Accepts<object>("application/json").RequireAuthorization(Policies.Admin)
            .WithSummary("Replace a flow with a new version; calls already inside keep the version they started with");
        flows.MapDelete("/{id}", (HttpContext http, string id, FlowAdmin s) => s.Delete(id, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a flow no hotline, route or flow uses any more");

        var prompts = app.MapGroup("/api/prompts").RequireAuthorization(Policies.Supervise).WithTags("IVR prompts");
        prompts.MapGet("", (PromptAdmin s) => Results.Ok(new { prompts = s.List(), recording = s.Recording }))
            .WithSummary("Prompts with duration, phone code and description; how to record one by phone");
        prompts.MapGet("/audio/{**name}", (string name, bool? download, PromptAdmin s) => s.AudioPath(name) is { } path
                ? Results.File(path, "audio/wav", download == true ? name.Replace('/', '-') + ".wav" : null, enableRangeProcessing: true)
                : Results.NotFound())
            .WithSummary("The prompt's WAV, for playback (range requests) or download=true");
        prompts.MapPut("/audio/{**name}", async (HttpContext http, string name, PromptAdmin s) =>
        {
            if (http.Request.ContentType?.Split(';')[0].Trim() is not ("audio/wav" or "audio/x-wav" or "audio/wave" or "application/octet-stream"))
                return ApiHelpers.Invalid("file", "send the WAV as the request body with Content-Type audio/wav");
            // The library reads the upload synchronously (checking the header as it writes); Kestrel's body is read asynchronously first.
            using var wav = new MemoryStream();
            await http.Request.Body.CopyToAsync(wav, http.RequestAborted);
            wav.Position = 0;
            return s.Upload(name, wav, http.ActorOf()).ToResult();
        })
            // No Accepts metadata: routing would answer 415 to a wrong content type before authorization (401/403); the handler checks it.
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Upload (or replace) a prompt's WAV (the request body, Content-Type audio/wav); checked first, played from the next call on");
        prompts.MapPut("/meta/{**name}", (HttpContext http, string name, PromptMetaInput input, PromptAdmin s) => s.SaveMeta(name, input, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Set a prompt's phone code (to re-record it by phone), description and words");
        prompts.MapDelete("/{**name}", (HttpContext http, string name, PromptAdmin s) => s.Delete(name, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a prompt's recording and metadata");
    }
}

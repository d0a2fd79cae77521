using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Cdrs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Call records: search, one record, its recording (range requests, so the browser can seek), CSV and XLSX.</summary>
internal static class CdrEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cdrs").RequireAuthorization(Policies.Supervise).WithTags("Call records");
        api.MapGet("", (DateTimeOffset? from, DateTimeOffset? to, string? number, string? extension, string? trunk, CallDisposition? disposition, int? skip, int? limit, CdrService cdrs) =>
        {
            var q = new CdrQuery(from, to, number, extension, trunk, disposition, skip ?? 0, limit ?? 50);
            var errors = CdrService.Validate(q);
            return errors.Count > 0 ? ApiHelpers.Invalid(errors) : Results.Ok(cdrs.Search(q));
        }).WithSummary("Search by time range, number, extension, trunk, disposition");
        api.MapGet("/{id}", (string id, CdrService cdrs) => cdrs.Get(id) is { } c ? Results.Ok(c) : Results.NotFound()).WithSummary("One call record with its legs");
        api.MapGet("/{id}/recording", (string id, int? index, bool? download, CdrService cdrs) =>
        {
            if (cdrs.Get(id) is not { } cdr || cdrs.RecordingFile(cdr, index ?? 0) is not { } path) return Results.NotFound();
            return Results.File(path, "audio/wav", download == true ? Path.GetFileName(path) : null, enableRangeProcessing: true);
        }).WithSummary("The call's recording (WAV); download=true for an attachment");
        api.MapGet("/export.csv", (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? number, string? extension, string? trunk, CallDisposition? disposition, CdrService cdrs) =>
        {
            var q = new CdrQuery(from, to, number, extension, trunk, disposition);
            var errors = CdrService.Validate(q);
            if (errors.Count > 0) return ApiHelpers.Invalid(errors);
            var buffer = new MemoryStream();
            cdrs.WriteCsv(buffer, q);
            buffer.Position = 0;
            return Results.File(buffer, "text/csv; charset=utf-8", "cdrs.csv");
        }).WithSummary("Matching records as CSV (RFC 4180, UTF-8)");
        api.MapGet("/export.xlsx", (DateTimeOffset? from, DateTimeOffset? to, string? number, string? extension, string? trunk, CallDisposition? disposition, CdrService cdrs) =>
        {
            var q = new CdrQuery(from, to, number, extension, trunk, disposition);
            var errors = CdrService.Validate(q);
            if (errors.Count > 0) return ApiHelpers.Invalid(errors);
            var buffer = new MemoryStream();
            cdrs.WriteXlsx(buffer, q);
            buffer.Position = 0;
            return Results.File(buffer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "cdrs.xlsx");
        }).WithSummary("Matching records as an Excel workbook");
    }
}

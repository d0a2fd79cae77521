using System.Net;
using Hotline.Admin.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

/// <summary>Every /api route, found from the app's own endpoint table so a new route cannot be forgotten.</summary>
public sealed class SecurityTests
{
    private sealed record Route(string Method, string Path, string Policy);

    private static List<Route> ApiRoutes(AdminHost host)
    {
        var routes = new List<Route>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith("/api", StringComparison.Ordinal)) continue;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
            // The strictest policy on the endpoint decides (groups add Monitor, routes narrow it).
            var policy = policies.Contains(Policies.Admin) ? Policies.Admin : policies.Contains(Policies.Supervise) ? Policies.Supervise : policies.Contains(Policies.Monitor) ? Policies.Monitor : "";
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "x");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]) routes.Add(new Route(method, path, policy));
        }
        return routes;
    }

    private static HttpRequestMessage Request(Route r) => new(new HttpMethod(r.Method), r.Path)
    {
        Content = r.Method is "POST" or "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null,
    };

    [Fact]
    public async Task Every_api_route_names_a_policy_and_answers_401_without_credentials()
    {
        await using var host = await AdminHost.StartAsync();
        var routes = ApiRoutes(host);
        Assert.True(routes.Count >= 30, $"only {routes.Count} API routes found");
        using var client = host.Anonymous();
        foreach (var r in routes)
        {
            Assert.True(r.Policy.Length > 0, $"{r.Method} {r.Path} has no authorization policy");
            using var response = await client.SendAsync(Request(r), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{r.Method} {r.Path}: {(int)response.StatusCode} without credentials");
        }
    }

    [Fact]
    public async Task A_bad_or_revoked_token_gets_401()
    {
        await using var host = await AdminHost.StartAsync();
        using var forged = host.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", host.Tokens[Roles.Admin][..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/extensions", TestContext.Current.CancellationToken)).StatusCode);

        using var admin = host.As(Roles.Admin);
        var tokens = await (await admin.GetAsync("/api/tokens", TestContext.Current.CancellationToken)).Json();
        var agentId = tokens.EnumerateArray().First(t => t.GetProperty("role").GetString() == Roles.Agent).GetProperty("id").GetString();
        using var agent = host.As(Roles.Agent);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{agentId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.Admin)]
    public async Task Each_role_reaches_exactly_the_routes_its_policies_admit(string role)
    {
        await using var host = await AdminHost.StartAsync();
        using var client = host.As(role);
        foreach (var r in ApiRoutes(host))
        {
            // The restore route would replace the store, and revoking tokens would log this client out: checked apart.
            if (r.Path.StartsWith("/api/tokens/x", StringComparison.Ordinal) && r.Method == "DELETE") continue;
            var allowed = Policies.RolesFor(r.Policy).Contains(role);
            // Headers only: the event stream (/api/events) answers 200 and then never ends.
            using var response = await client.SendAsync(Request(r), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            if (allowed)
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} {r.Method} {r.Path}: {(int)response.StatusCode}");
            else
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {r.Method} {r.Path}: {(int)response.StatusCode}, want 403");
        }
    }

    [Fact]
    public async Task An_agent_is_refused_admin_pages_and_sees_no_admin_navigation()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/users", new UserInput("op1", "Operator", Roles.Agent, "agent-pass-123"))).StatusCode);
        var (client, login) = await host.LoginAsync("op1", "agent-pass-123");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        foreach (var page in new[] { "/users", "/extensions", "/system", "/backup", "/audit", "/tokens", "/cdrs", "/stats" })
        {
            using var response = await client.GetAsync(page, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/denied"), $"{page}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("href=\"/registrations\"", dashboard);
        Assert.DoesNotContain("href=\"/users\"", dashboard);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_to_login_without_a_session_and_the_login_form_needs_its_antiforgery_token()
    {
        await using var host = await AdminHost.StartAsync();
        using var client = host.Anonymous();
        using var page = await client.GetAsync("/extensions", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
        using var noToken = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "admin", ["password"] = AdminHost.AdminPassword }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
    }

    [Fact]
    public async Task Every_registered_page_renders_for_an_admin_session()
    {
        await using var host = await AdminHost.StartAsync();
        var (client, _) = await host.LoginAsync("admin", AdminHost.AdminPassword);
        var sections = host.Services.GetServices<AdminSection>().ToList();
        Assert.True(sections.Count >= 11);
        foreach (var path in sections.Select(s => s.Path).Append("/account").Append("/denied"))
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains("Hotline 12345", body);
        }
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>The services' OpenAPI documents, served by the gateway, describe exactly the routes of API.md.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class ApiDocumentTests(PortalApp portal)
{
    private static readonly string[] Services = ["access", "tickets", "attachments", "notifications"];

    [Fact]
    public async Task Every_route_of_API_md_is_documented_and_every_documented_route_is_in_API_md()
    {
        using var gateway = portal.Gateway();
        var documented = new HashSet<string>();
        foreach (var service in Services)
        {
            var response = await gateway.GetAsync($"/openapi/{service}.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("http", document.GetProperty("components").GetProperty("securitySchemes")
                .GetProperty("Bearer").GetProperty("type").GetString());
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    documented.Add($"{operation.Name.ToUpperInvariant()} {Normalize(path.Name)}");
                    // Error answers are described, as problem documents.
                    Assert.True(operation.Value.GetProperty("responses").TryGetProperty("404", out _),
                        $"{operation.Name} {path.Name} has no 404");
                }
            }
        }

        var contract = ContractRoutes();
        Assert.NotEmpty(contract);
        Assert.True(!contract.Except(documented).Any(),
            "in API.md, not documented: " + string.Join(", ", contract.Except(documented)));
        Assert.True(!documented.Except(contract).Any(),
            "documented, not in API.md: " + string.Join(", ", documented.Except(contract)));
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        using var gateway = portal.Gateway();
        var page = await gateway.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("tickets"), html);
    }

    /// <summary>"METHOD /path" for each row of API.md's route tables, parameters written {}.</summary>
    private static HashSet<string> ContractRoutes()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "API.md"));
        var routes = new HashSet<string>();
        // An escaped pipe inside a cell (a query's alternatives) is not a column.
        foreach (Match row in RouteRow().Matches(text.Replace("\\|", "¦")))
        {
            foreach (var method in row.Groups["methods"].Value.Split(',', StringSplitOptions.TrimEntries))
            {
                var previous = "";
                foreach (Match path in Backticked().Matches(row.Groups["paths"].Value))
                {
                    // "`/a/b/x`, `.../y`": the second is /a/b/y.
                    var full = path.Groups["relative"].Success
                        ? previous[..(previous.LastIndexOf('/') + 1)] + path.Groups["path"].Value.TrimStart('/')
                        : path.Groups["path"].Value;
                    routes.Add($"{method} {Normalize(full)}");
                    previous = full;
                }
            }
        }
        return routes;
    }

    private static string Normalize(string path) => Parameter().Replace(path.Split('?')[0], "{}").TrimEnd('/');

    [GeneratedRegex(
        @"^\| (?<methods>(GET|POST|PUT|PATCH|DELETE)(, (GET|POST|PUT|PATCH|DELETE))*) \| (?<paths>[^|]+) \|",
        RegexOptions.Multiline)]
    private static partial Regex RouteRow();

    [GeneratedRegex(@"`(?<relative>\.\.\.)?(?<path>/[^`]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}

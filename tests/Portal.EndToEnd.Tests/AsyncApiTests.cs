using System.Net;
using System.Reflection;
using Portal.Contracts;
using Xunit;
using YamlDotNet.Serialization;

namespace Portal.EndToEnd.Tests;

/// <summary>/asyncapi.yaml describes exactly the events of libs/Contracts, field by field.</summary>
[Collection(PortalCollection.Name)]
public sealed class AsyncApiTests(PortalApp portal)
{
    [Fact]
    public async Task The_AsyncAPI_document_matches_the_event_records()
    {
        using var gateway = portal.Gateway();
        var response = await gateway.GetAsync("/asyncapi.yaml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<object, object>>(await response.Content.ReadAsStringAsync());
        Assert.Equal("3.0.0", document["asyncapi"]);

        var events = typeof(IPortalEvent).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IPortalEvent).IsAssignableFrom(t))
            .ToList();
        var channels = Map(document["channels"]);
        Assert.Equal(events.Select(e => e.Name).Order(), channels.Keys.Cast<string>().Order());
        var schemas = Map(Map(document["components"])["schemas"]);
        var messages = Map(Map(document["components"])["messages"]);
        foreach (var type in events)
        {
            Assert.Equal($"Portal.Contracts:{type.Name}", Map(channels[type.Name])["address"]);
            Assert.True(messages.ContainsKey(type.Name), $"no message {type.Name}");
            AssertSchema(type, schemas);
        }
    }

    private static void AssertSchema(Type type, Dictionary<object, object> schemas)
    {
        var properties = Map(Map(schemas[type.Name])["properties"]);
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .ToList();
        Assert.Equal(fields.Select(f => Camel(f.Name)).Order(), properties.Keys.Cast<string>().Order());
        foreach (var field in fields)
        {
            var schema = Map(properties[Camel(field.Name)]);
            var nullable = Nullable.GetUnderlyingType(field.PropertyType);
            var clrType = nullable ?? field.PropertyType;
            if (clrType.Namespace == "Portal.Contracts")
            {
                Assert.Equal($"#/components/schemas/{clrType.Name}", schema["$ref"]);
                AssertSchema(clrType, schemas);
                continue;
            }
            var (expectedType, expectedFormat) = JsonType(clrType);
            var actualType = schema["type"] is List<object> union
                ? union.Cast<string>().First(t => t != "null")
                : (string)schema["type"];
            Assert.True(expectedType == actualType, $"{type.Name}.{field.Name}: {actualType}, expected {expectedType}");
            Assert.Equal(nullable is not null, schema["type"] is List<object>);
            if (expectedFormat is not null)
                Assert.Equal(expectedFormat, schema["format"]);
            if (expectedType == "array")
                Assert.Equal("uuid", Map(schema["items"])["format"]);
        }
    }

    private static (string Type, string? Format) JsonType(Type type) => type switch
    {
        _ when type == typeof(Guid) => ("string", "uuid"),
        _ when type == typeof(DateTimeOffset) => ("string", "date-time"),
        _ when type == typeof(long) => ("integer", "int64"),
        _ when type == typeof(bool) => ("boolean", null),
        _ when type == typeof(string) => ("string", null),
        _ when type == typeof(IReadOnlyList<Guid>) => ("array", null),
        _ => throw new InvalidOperationException($"No JSON mapping for {type} in this test: extend it."),
    };

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

using System.Text.Json.Serialization.Metadata;

namespace Portal.Tickets.Apis;

/// <summary>An answer whose <see cref="StaffOnlyAttribute"/> fields are written for staff readers only.</summary>
public interface IReaderAware
{
    bool ForStaff { get; }
}

/// <summary>
/// Routing and response-time fields: present (null or not) for staff, absent from the JSON a member receives, so
/// that a member's answer is the same whatever staff did with the thread.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class StaffOnlyAttribute : Attribute
{
    /// <summary>The JSON contract modifier that leaves staff-only fields out of a member's answers.</summary>
    public static void Apply(JsonTypeInfo type)
    {
        if (!typeof(IReaderAware).IsAssignableFrom(type.Type))
            return;
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(StaffOnlyAttribute), inherit: false) == true)
                property.ShouldSerialize = (owner, _) => ((IReaderAware)owner).ForStaff;
        }
    }
}

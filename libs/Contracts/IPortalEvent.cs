namespace Portal.Contracts;

/// <summary>What every Portal event carries: a unique id for de-duplication and when it happened.</summary>
public interface IPortalEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
}

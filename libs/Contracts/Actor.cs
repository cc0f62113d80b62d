namespace Portal.Contracts;

/// <summary>Who did something: a user id and the side they act for (<see cref="Sides"/>).</summary>
public sealed record Actor(Guid UserId, string Side);

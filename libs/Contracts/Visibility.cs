namespace Portal.Contracts;

public sealed record Visibility(string Mode, IReadOnlyList<Guid> UserIds);

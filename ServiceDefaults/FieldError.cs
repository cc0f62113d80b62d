namespace Portal.ServiceDefaults;

/// <summary>
/// One thing wrong with a request: its stable code, the field it is about, and what to do, in French.
/// </summary>
public sealed record FieldError(string Code, string Field, string Message);

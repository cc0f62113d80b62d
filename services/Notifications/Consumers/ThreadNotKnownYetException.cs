namespace Portal.Notifications.Consumers;

/// <summary>The thread an event names is not known here yet (its TicketOpened is still on its way): retried.</summary>
public sealed class ThreadNotKnownYetException(Guid ticketId) : Exception($"Thread {ticketId} is not known yet.");

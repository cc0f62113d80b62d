// The live connection opens as one WebSocket, without SignalR's negotiation request: two requests could
// reach two instances of the front end (which share one port), and a negotiation is only known to the
// instance that answered it. One connection lands, and stays, on one instance.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withUrl('_blazor', {
            skipNegotiation: true,
            transport: 1, // WebSockets
        }),
    },
});

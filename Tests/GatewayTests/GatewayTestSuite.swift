import Testing

/// Every gateway suite that starts the real services runs inside this one, one suite at a time:
/// each starts auth, billing and the gateway, and side by side on two cores with the rest of the
/// tests their bcrypt and Kafka work queued past the clients' timeouts.
@Suite(.serialized) struct GatewayTestSuite {}

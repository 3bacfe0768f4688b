// For the composition root: the real carriers and the number lookup that the configuration's
// carrier sections describe, all over one transport (one shared HTTPClient).

import TextBackConfig

public enum CarrierFactory {
    /// One carrier per configured section (Twilio, Telnyx, Bandwidth); the simulator is added by the
    /// caller, which owns its store.
    public static func carriers(_ settings: CarrierSettings, transport: any ProviderTransport,
                                timeout: Duration = .seconds(10)) -> [any Carrier] {
        var carriers: [any Carrier] = []
        if let twilio = settings.twilio { carriers.append(TwilioCarrier(settings: twilio, transport: transport, timeout: timeout)) }
        if let telnyx = settings.telnyx { carriers.append(TelnyxCarrier(settings: telnyx, transport: transport, timeout: timeout)) }
        if let bandwidth = settings.bandwidth {
            carriers.append(BandwidthCarrier(settings: bandwidth, transport: transport, timeout: timeout))
        }
        return carriers
    }

    /// The lookup `policy.landline_check` uses: Twilio's when Twilio is configured, else Telnyx's,
    /// else nil (Bandwidth's lookup is a separate product and not supported).
    public static func lineTypeLookup(_ settings: CarrierSettings, transport: any ProviderTransport,
                                      timeout: Duration = .seconds(10)) -> (any LineTypeLookup)? {
        if let twilio = settings.twilio { return TwilioLookupClient(settings: twilio, transport: transport, timeout: timeout) }
        if let telnyx = settings.telnyx { return TelnyxLookupClient(settings: telnyx, transport: transport, timeout: timeout) }
        return nil
    }
}

// The built-in demo configuration: what `textback serve` runs without --config. It goes through
// the same loader as a user's file, so it is also the reference example of the format.

enum DemoConfiguration {
    static let yaml = #"""
        # TextBack demo configuration: the simulator carrier, one number, DESIGN's five templates and
        # the default missed-call automation. Copy it as a starting point for your own textback.yaml.
        # The templates pass `textback lint` with no warnings, as yours should: each says how to opt
        # out, and plain ASCII punctuation keeps them GSM-7 (an em dash would force UCS-2, 70
        # characters a segment).
        business:
          name: Acme Home Services          # fills {Company}, {Agency}, {School}, {Lender}, {Practice}
          phone: "+15125550100"              # fills {number}
          timezone: America/Chicago          # fallback when the recipient's zone is unknown

        numbers:
          - number: "+15125550100"
            carrier: simulator               # simulator | twilio | telnyx | bandwidth
            kind: long_code                  # long_code | toll_free | short_code (sets default throughput)

        policy:
          frequency_cap: {max: 1, per: 24h}  # missed-call texts per contact
          quiet_hours: {start: "21:00", end: "08:00"}   # recipient local time; state rules apply on top
          stale_after: 18h                   # a held text this long after the call is dropped; 18h lets an evening call get its text the next morning in every state
          consent_mode: universal
          state_rules: true

        # {Name|there}: most missed calls come from numbers with no name on record; the default keeps
        # the text from being skipped for want of a first name.
        templates:
          insurance: "Hi {Name|there}, this is {Agency} - I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works. Reply STOP to opt out."
          home_services: "Hey {Name|there}, {Company} here. Tried to reach you about your {service} request. Still need help? Reply YES and I'll call you right back. Reply STOP to opt out."
          education: "Hi {Name|there}, this is {School}. I tried to connect about your enrollment inquiry. Text me a good time to call, or reply STOP to opt out."
          mortgage: "Hi {Name|there}, {Lender} here. Just tried reaching you about your pre-qualification. Reply with a good time and I'll call you back. Reply STOP to opt out."
          healthcare: "Hi {Name|there}, this is {Practice}. We tried to reach you about your appointment request. Reply with a preferred time or call us at {number}. Reply STOP to opt out."

        variables:
          service: service                   # used when a call captured no service: "your service request"

        automations:
          - id: missed-call-textback
            status: live                     # draft | live | paused
            description: Text a missed caller back from the number they called, at a considerate moment.
            trigger: {event: call.completed, agents: all}
            steps:
              # They talked, or the call ended in a way we do not understand: no text.
              - if: 'call.outcome in ["completed", "transferred", "unknown"]'
                then: [stop]
              - if: 'call.outcome == "left_voicemail"'
                then: [{delay: 20m}]
                else:
                  - if: 'call.direction == "inbound"'
                    then: [{delay: 2m}]
                    else: [{delay: 3m}]
              - send_sms: {template: home_services}
              - update_contact: {last_missed_call_sms_at: "{now}"}

        # The conversation agent answers replies: "yes" books a callback, a proposed time is booked and
        # confirmed in the contact's local time, "wrong number" is apologised for and suppressed, and
        # anything else goes to a person. Spanish replies get Spanish answers.
        agent:
          enabled: true
          max_replies_per_day: 3
          callback_window: 2h
          callback_hours: {weekdays: "08:00-20:00", sat: "09:00-14:00"}   # business time zone
        """#
}

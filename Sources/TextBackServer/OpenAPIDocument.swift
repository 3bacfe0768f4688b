// The OpenAPI description of the HTTP interface, served at /openapi.yaml. Kept next to the routes
// (Server.swift) so a route change and its description change together.

enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: TextBack
          version: "0.1.0"
          description: >
            Missed-call follow-up engine. /v1 needs `Authorization: Bearer <token>`; webhooks need their
            provider's signature or token. Errors are RFC 9457 problem documents (application/problem+json).
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
          schemas:
            Problem:
              type: object
              properties:
                type: {type: string}
                title: {type: string}
                status: {type: integer}
                detail: {type: string}
                field: {type: string, description: The request field the problem is about.}
            CallEvent:
              type: object
              required: [call_id, direction, outcome, from, to]
              properties:
                call_id: {type: string}
                occurred_at: {type: string, format: date-time}
                direction: {type: string, enum: [inbound, outbound]}
                outcome:
                  type: string
                  description: Any other word is stored as unknown, which never texts.
                  enum: [completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown]
                duration_s: {type: number, minimum: 0}
                from: {type: string, description: "Phone number, E.164 or a common US format"}
                to: {type: string}
                agent_id: {type: string}
                voicemail:
                  type: object
                  properties: {detected: {type: boolean}, left: {type: boolean}}
                contact:
                  type: object
                  properties:
                    name: {type: string}
                    attributes: {type: object, additionalProperties: {type: string}}
                    tags: {type: array, items: {type: string}}
                variables: {type: object, additionalProperties: {type: string}}
                campaign: {type: string}
            Message:
              type: object
              properties:
                id: {type: string}
                direction: {type: string, enum: [outbound, inbound]}
                kind: {type: string}
                from: {type: string}
                to: {type: string}
                body: {type: string}
                status: {type: string, enum: [queued, sending, sent, delivered, undelivered, failed, received, unknown, cancelled]}
                carrier: {type: string}
                carrier_message_id: {type: [string, "null"], description: "The carrier's id for the text (Twilio SID, Telnyx id, Bandwidth messageId)"}
                error: {type: [string, "null"], description: "What went wrong, in TextBack's words (the meaning of error_code)"}
                error_code: {type: [string, "null"], description: "The carrier's own error code, e.g. 21211, 40300, 4720"}
                created_at: {type: string, format: date-time}
                sent_at: {type: [string, "null"], format: date-time}
            Suppression:
              type: object
              properties:
                phone: {type: string}
                channel: {type: string}
                reason: {type: string}
                source: {type: string}
                created_at: {type: string, format: date-time}
            Conversation:
              type: object
              description: One thread per (our number, contact). open - the agent may answer; needs_human - a person answers until released; closed - no more automation.
              properties:
                id: {type: string}
                phone: {type: string, description: The contact (E.164)}
                number: {type: string, description: Our number (E.164)}
                state: {type: string, enum: [open, needs_human, closed]}
                created_at: {type: string, format: date-time}
                updated_at: {type: string, format: date-time}
                last_message: {oneOf: [{$ref: "#/components/schemas/Message"}, {type: "null"}]}
            Callback:
              type: object
              properties:
                id: {type: string}
                conversation_id: {type: string}
                phone: {type: string}
                number: {type: string}
                at: {type: string, format: date-time}
                window_end: {type: string, format: date-time, description: Still requested after this instant means missed.}
                status: {type: string, enum: [requested, completed, missed, cancelled]}
                source_message_id: {type: [string, "null"]}
                created_at: {type: string, format: date-time}
          responses:
            Problem:
              description: The request was refused; nothing was stored.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Busy:
              description: Too many writes are waiting (back-pressure); nothing was stored. Retry after the given seconds.
              headers:
                Retry-After: {schema: {type: integer}}
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
          parameters:
            After: {name: after, in: query, description: The `next` cursor of the previous page., schema: {type: string}}
        security: [{bearer: []}]
        paths:
          /v1/events/call-completed:
            post:
              summary: Report a completed call (native event)
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: "#/components/schemas/CallEvent"}}}
              responses:
                "202":
                  description: Stored (or a duplicate of a stored call)
                  content:
                    application/json:
                      schema:
                        type: object
                        properties: {event_id: {type: string}, duplicate: {type: boolean}, runs_started: {type: integer}}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "413": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/twilio/voice:
            post:
              summary: Twilio voice status callback or <Dial action> callback (form-encoded, X-Twilio-Signature)
              security: []
              responses:
                "200": {description: Empty TwiML}
                "400": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/twilio/sms:
            post:
              summary: Twilio inbound SMS (form-encoded, X-Twilio-Signature); OptOutType honoured
              security: []
              responses:
                "200": {description: Empty TwiML}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/twilio/status:
            post:
              summary: Twilio message status callback (form-encoded, X-Twilio-Signature over the exact URL with ?message_id=)
              security: []
              responses:
                "204": {description: Applied, or a duplicate or late receipt that changed nothing}
                "400": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/telnyx:
            post:
              summary: "Telnyx call.hangup, message.received, message.sent, message.finalized (Ed25519 telnyx-signature-ed25519 over {telnyx-timestamp}|{body}, 300 s window)"
              security: []
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/bandwidth/messaging:
            post:
              summary: "Bandwidth messaging callbacks: a JSON array of message-received, message-delivered, message-failed (HTTP Basic)"
              security: []
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/bandwidth/voice:
            post:
              summary: Bandwidth voice disconnect callback (HTTP Basic)
              security: []
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /webhooks/thoughtly:
            post:
              summary: Thoughtly call webhook; token as X-Webhook-Token, a Bearer token or ?token=
              security: []
              responses:
                "202": {description: Stored}
                "400": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
          /v1/contacts/{phone}:
            get:
              summary: A contact, its consent records and suppression
              parameters: [{name: phone, in: path, required: true, schema: {type: string}}]
              responses:
                "200": {description: The contact}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/contacts/{phone}/timeline:
            get:
              summary: Calls, decisions (with reason codes and a sentence) and messages, oldest first
              parameters: [{name: phone, in: path, required: true, schema: {type: string}}]
              responses:
                "200": {description: "{contact, entries}"}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/messages:
            get:
              summary: Messages, newest first, a page at a time
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
                - {$ref: "#/components/parameters/After"}
              responses:
                "200":
                  description: Messages
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          messages: {type: array, items: {$ref: "#/components/schemas/Message"}}
                          next: {type: [string, "null"], description: Pass as `after` for the next page; null at the end.}
                "400": {$ref: "#/components/responses/Problem"}
          /v1/suppressions:
            get:
              summary: The suppression list
              parameters:
                - {name: limit, in: query, schema: {type: integer}}
                - {name: offset, in: query, schema: {type: integer}}
              responses:
                "200":
                  description: Entries
                  content:
                    application/json:
                      schema: {type: object, properties: {suppressions: {type: array, items: {$ref: "#/components/schemas/Suppression"}}}}
            post:
              summary: Add a number (201 when new, 200 when already present)
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      required: [phone]
                      properties: {phone: {type: string}, reason: {type: string}, source: {type: string}, channel: {type: string}}
              responses:
                "201": {description: Added}
                "200": {description: Already suppressed}
                "400": {$ref: "#/components/responses/Problem"}
            delete:
              summary: Remove a number (?phone=)
              parameters: [{name: phone, in: query, required: true, schema: {type: string}}]
              responses:
                "204": {description: Removed}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/suppressions/{phone}:
            delete:
              summary: Remove a number
              parameters: [{name: phone, in: path, required: true, schema: {type: string}}]
              responses:
                "204": {description: Removed}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/consents:
            post:
              summary: "Record consent, or revoke it with {\"revoke\": true}"
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      required: [phone]
                      properties:
                        phone: {type: string}
                        kind: {type: string, enum: [express_written, implied, none]}
                        scope: {type: string, description: '"all" or a message type'}
                        source: {type: string}
                        revoke: {type: boolean}
              responses:
                "201": {description: Recorded}
                "200": {description: Revoked}
                "400": {$ref: "#/components/responses/Problem"}
          /v1/conversations:
            get:
              summary: Conversations, most recently active first, a page at a time
              parameters:
                - {name: state, in: query, schema: {type: string, enum: [open, needs_human, closed]}}
                - {name: phone, in: query, description: The contact's number, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500}}
                - {$ref: "#/components/parameters/After"}
              responses:
                "200":
                  description: Conversations, each with its newest message
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          conversations: {type: array, items: {$ref: "#/components/schemas/Conversation"}}
                          next: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/Problem"}
          /v1/conversations/{id}:
            get:
              summary: "One conversation: its messages (oldest first), the contact's decisions and its callbacks"
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses:
                "200": {description: "{id, phone, number, state, messages, decisions, callbacks}"}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/conversations/{id}/messages:
            post:
              summary: A person replies; the compliance check still applies (an opted-out contact is refused with 409)
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: object, required: [body], properties: {body: {type: string, maxLength: 1530}}}
              responses:
                "202": {description: "{message_id}: queued for the carrier"}
                "400": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
                "409": {$ref: "#/components/responses/Problem"}
          /v1/conversations/{id}/release:
            post:
              summary: Hand a needs_human conversation back to the agent (409 in any other state)
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses:
                "200": {description: The conversation, now open}
                "404": {$ref: "#/components/responses/Problem"}
                "409": {$ref: "#/components/responses/Problem"}
          /v1/callbacks:
            get:
              summary: Callbacks the agent booked, newest first
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [requested, completed, missed, cancelled]}}
                - {name: phone, in: query, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
              responses:
                "200":
                  description: Callbacks
                  content:
                    application/json:
                      schema: {type: object, properties: {callbacks: {type: array, items: {$ref: "#/components/schemas/Callback"}}}}
                "400": {$ref: "#/components/responses/Problem"}
          /v1/metrics:
            get:
              summary: The figures over [from, to) with their numerators and denominators, whole, per automation and per number
              description: >-
                Calls count by when they occurred, texts by when they were written, decisions by when they were made;
                replies, connected calls and opt-outs follow the contacts texted in the range, whenever they came.
                Every rate is {numerator, denominator, rate}; rate is null when the denominator is 0.
              parameters:
                - {name: from, in: query, description: "ISO 8601 timestamp, or a date (midnight in the business's zone); default seven days before `to`", schema: {type: string}}
                - {name: to, in: query, description: "ISO 8601 timestamp or a date, exclusive; default now", schema: {type: string}}
              responses:
                "200":
                  description: >-
                    {from, to, totals, by_automation: {id: funnel}, by_number: {e164: funnel}, opt_outs: {reason: count}};
                    a funnel is {calls, missed_calls, eligible_calls, eligibility, texts: {sent, delivered, by_status},
                    delivery_rate, texted_contacts, replies, reply_rate, time_to_first_reply_s: {count, median, p90},
                    callbacks: {requested, completed}, callback_completion, callback_conversion, opt_outs, opt_out_rate,
                    suppressed_calls, suppression_rate, decisions: {action: {reason: count}}, delivery_failures: {error: count}}
                "400": {$ref: "#/components/responses/Problem"}
          /metrics:
            get:
              summary: Prometheus exposition (counters, histograms, gauges); unauthenticated, like any Prometheus target
              security: []
              responses:
                "200": {description: "text/plain; version=0.0.4"}
          /v1/simulator/outbox:
            get:
              summary: What the simulator carrier was asked to send, oldest first, a page at a time
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10000}}
                - {$ref: "#/components/parameters/After"}
              responses:
                "200": {description: "{messages: [{id, from, to, body, status, sent_at}], next}"}
                "400": {$ref: "#/components/responses/Problem"}
          /v1/simulator/inbound:
            post:
              summary: Deliver a reply as a carrier would
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      required: [from, to, body]
                      properties: {from: {type: string}, to: {type: string}, body: {type: string}}
              responses:
                "202": {description: "{message_id, duplicate, intent, revokes_consent}"}
          /healthz:
            get:
              security: []
              responses: {"200": {description: "{status: ok}, or {status: degraded, carriers: {name: {status: paused, reason, detail, since, retry_at, fix}}} while a carrier refuses our credentials"}}
        """#
}

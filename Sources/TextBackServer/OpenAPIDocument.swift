// The OpenAPI description of the HTTP interface, served at /openapi.yaml. Kept next to the routes
// (Server.swift) so a route change and its description change together: OpenAPIRoutesTests fails when a
// route is in the router but not here, or the reverse. Patterns say exactly what the server accepts
// (the phone number pattern is PhoneNumber(parsing:) written as a regular expression).

enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: TextBack
          version: "0.1.0"
          description: >
            Missed-call follow-up engine. /v1 needs `Authorization: Bearer <token>`: the admin token sees every
            business (and names one with `?business=ID`), a business's own token only that business (another
            business's contact, thread or message is a 404). Webhooks need their provider's signature or token
            and go to the business whose number was called or texted. Errors are RFC 9457 problem documents (application/problem+json).
            A method a path does not answer is 405 with `Allow`; an unknown path is 404. Bodies are at most
            1 MiB (413 beyond). Phone numbers are read as E.164 or a common US spelling (see PhoneNumber).
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
            session: {type: apiKey, in: cookie, name: tb_session, description: "The dashboard's session, set by POST /login"}
          schemas:
            PhoneNumber:
              type: string
              description: >
                E.164 (`+14155550142`, `+442079460000`) or a common US spelling: `(415) 555-0142`, `415.555.0142`,
                `1-415-555-0142`, `4155550142`, `011 44 20 7946 0000`. Digits may be separated by spaces, dashes,
                dots, slashes and parentheses; a `+` only leads. US and Canadian (NANP) numbers must have an area
                code and exchange starting 2-9 and no N11 area code; international numbers have 8 to 15 digits and
                a country code not starting with 0. Answers always carry E.164.
              pattern: '^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:\+[-. ()/\u00A0]*(?:1[-. ()/\u00A0]*[2-9][-. ()/\u00A0]*(?:[02-9][-. ()/\u00A0]*[0-9]|1[-. ()/\u00A0]*[02-9])[-. ()/\u00A0]*[2-9][-. ()/\u00A0]*(?:[0-9][-. ()/\u00A0]*){6}|[2-9][-. ()/\u00A0]*(?:[0-9][-. ()/\u00A0]*){7,14})|[-. ()/\u00A0]*(?:1[-. ()/\u00A0]*)?[2-9][-. ()/\u00A0]*(?:[02-9][-. ()/\u00A0]*[0-9]|1[-. ()/\u00A0]*[02-9])[-. ()/\u00A0]*[2-9][-. ()/\u00A0]*(?:[0-9][-. ()/\u00A0]*){6}|[-. ()/\u00A0]*0[-. ()/\u00A0]*1[-. ()/\u00A0]*1[-. ()/\u00A0]*(?:1[-. ()/\u00A0]*[2-9][-. ()/\u00A0]*(?:[02-9][-. ()/\u00A0]*[0-9]|1[-. ()/\u00A0]*[02-9])[-. ()/\u00A0]*[2-9][-. ()/\u00A0]*(?:[0-9][-. ()/\u00A0]*){6}|[2-9][-. ()/\u00A0]*(?:[0-9][-. ()/\u00A0]*){7,14}))[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$'
              examples: ["+14155550142", "(415) 555-0142"]
            NonBlank:
              type: string
              description: Text with at least one character that is not a space or tab.
              pattern: '[^\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]'
            OptionalText:
              description: Text with at least one character that is not a space or tab; null is the same as absent.
              type: [string, "null"]
              pattern: '[^\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]'
            StringMap:
              description: Values are kept as text (numbers and booleans are written out); null values are skipped; null is the same as absent.
              type: [object, "null"]
              additionalProperties: {type: [string, number, boolean, "null"]}
            Problem:
              type: object
              required: [type, title, status, detail]
              properties:
                type: {type: string}
                title: {type: string}
                status: {type: integer}
                detail: {type: string}
                field: {type: string, description: The request field the problem is about.}
            CallEvent:
              type: object
              description: Fields not listed are ignored. Every optional field may also be null.
              required: [call_id, direction, outcome, from, to]
              properties:
                call_id: {$ref: "#/components/schemas/NonBlank"}
                occurred_at:
                  type: [string, "null"]
                  format: date-time
                  description: "RFC 3339 with an upper-case T and Z or an offset up to 18:00, at most 9 fractional digits; the time of receipt when absent"
                  pattern: '^[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?(?:Z|[+-](?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00))[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*$'
                direction: {type: string, enum: [inbound, outbound]}
                outcome:
                  allOf: [{$ref: "#/components/schemas/NonBlank"}]
                  description: "completed, no_answer, busy, failed, canceled, left_voicemail, transferred or unknown (any case). Any other word is stored as unknown, which never texts."
                  examples: [no_answer]
                duration_s: {type: [number, "null"], minimum: 0, exclusiveMaximum: 2147483647}
                from: {type: string, description: "The caller id as the phone system reported it. Anything is stored (a number we cannot text gets a decision saying why); see PhoneNumber for what can be texted."}
                to: {type: string, description: Our number that was called (see PhoneNumber)}
                agent_id: {type: [string, "null"]}
                lead_source: {type: [string, "null"], description: Kept as the contact's lead_source attribute unless contact.attributes has one}
                voicemail:
                  type: [object, "null"]
                  properties: {detected: {type: [boolean, "null"]}, left: {type: [boolean, "null"]}}
                contact:
                  type: [object, "null"]
                  properties:
                    name: {type: [string, "null"]}
                    attributes: {$ref: "#/components/schemas/StringMap"}
                    tags: {type: [array, "null"], items: {type: string}}
                variables: {$ref: "#/components/schemas/StringMap"}
                campaign: {type: [string, "null"]}
            Message:
              type: object
              required: [id, direction, kind, from, to, body, status, carrier, created_at]
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
              required: [phone, channel, reason, source, created_at]
              properties:
                phone: {type: string}
                channel: {type: string}
                reason: {type: string}
                source: {type: string}
                created_at: {type: string, format: date-time}
                business: {type: [string, "null"], description: The business it stops; null is the global do-not-contact list (every business).}
            Consent:
              type: object
              required: [id, phone, kind, scope, source, recorded_at, revoked_at]
              properties:
                id: {type: string}
                phone: {type: string}
                kind: {type: string, enum: [express_written, implied, none]}
                scope: {type: string}
                source: {type: string}
                recorded_at: {type: string, format: date-time}
                revoked_at: {type: [string, "null"], format: date-time}
            ContactSummary:
              type: object
              required: [id, phone, name, attributes, created_at]
              properties:
                id: {type: string}
                phone: {type: string, description: E.164, or the caller id as reported when it is not a number}
                name: {type: [string, "null"]}
                attributes: {type: object, additionalProperties: {type: string}}
                created_at: {type: string, format: date-time}
            Contact:
              allOf:
                - {$ref: "#/components/schemas/ContactSummary"}
                - type: object
                  required: [suppressed, suppression, consents]
                  properties:
                    suppressed: {type: boolean}
                    suppression: {oneOf: [{$ref: "#/components/schemas/Suppression"}, {type: "null"}]}
                    consents: {type: array, items: {$ref: "#/components/schemas/Consent"}}
            Decision:
              type: object
              required: [at, action, reasons, sentence]
              properties:
                at: {type: string, format: date-time}
                action: {type: string}
                reasons: {type: array, items: {type: string}}
                sentence: {type: string}
                until: {type: [string, "null"], format: date-time}
                run_id: {type: [string, "null"]}
                message_id: {type: [string, "null"]}
            TimelineEntry:
              type: object
              description: "type call: call_id, provider, provider_call_id, direction, outcome, stage, duration_s; type decision: see Decision; type message: see Message"
              required: [type, at]
              properties:
                type: {type: string, enum: [call, decision, message]}
                at: {type: string, format: date-time}
            Conversation:
              type: object
              description: One thread per (our number, contact). open - the agent may answer; needs_human - a person answers until released; closed - no more automation.
              required: [id, phone, number, state, created_at, updated_at]
              properties:
                id: {type: string}
                phone: {type: string, description: The contact (E.164)}
                number: {type: string, description: Our number (E.164)}
                state: {type: string, enum: [open, needs_human, closed]}
                created_at: {type: string, format: date-time}
                updated_at: {type: string, format: date-time}
                last_message: {oneOf: [{$ref: "#/components/schemas/Message"}, {type: "null"}], description: In listings only}
            Callback:
              type: object
              required: [id, conversation_id, phone, number, at, window_end, status, created_at]
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
            TwilioForm:
              type: object
              description: Twilio's form fields (CallSid, CallStatus, From, To, Body, MessageSid, MessageStatus, ErrorCode, OptOutType, ...), all signed by X-Twilio-Signature.
              additionalProperties: {type: string}
          responses:
            BadRequest:
              description: The request is malformed or a field is invalid (`field` names it); nothing was stored.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Unauthorized:
              description: Missing or wrong credentials; nothing was stored.
              headers:
                WWW-Authenticate: {required: true, schema: {type: string}}
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Forbidden:
              description: The webhook's signature or token is missing or wrong, or this carrier is not configured on this server; nothing was stored.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            NotFound:
              description: No such resource.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Conflict:
              description: The resource is not in a state that allows this.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            TooLarge:
              description: The body is larger than 1 MiB; nothing was stored.
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Busy:
              description: Too many writes are waiting (back-pressure); nothing was stored. Retry after the given seconds.
              headers:
                Retry-After: {required: true, schema: {type: integer}}
              content:
                application/problem+json:
                  schema: {$ref: "#/components/schemas/Problem"}
            Page:
              description: A dashboard page (HTML)
              content: {text/html: {schema: {type: string}}}
            SignIn:
              description: Not signed in (or the session expired); go to /login
              headers: {Location: {required: true, schema: {type: string}}}
            Done:
              description: Done; the browser follows Location (Post/Redirect/Get)
              headers: {Location: {required: true, schema: {type: string}}}
            PageProblem:
              description: A refusal shown as an HTML page naming the problem; nothing was changed
              content: {text/html: {schema: {type: string}}}
            Refused:
              description: "Not signed in, a missing or wrong CSRF token, or a request from another site (Origin, Sec-Fetch-Site): HTML, nothing was changed"
              content: {text/html: {schema: {type: string}}}
            SuppressionAnswer:
              description: The entry (201 when it was added, 200 when it was already there)
              content:
                application/json:
                  schema:
                    allOf:
                      - {$ref: "#/components/schemas/Suppression"}
                      - {type: object, required: [created], properties: {created: {type: boolean}}}
          requestBodies:
            DashboardForm:
              required: true
              description: "A dashboard form: only the CSRF token of the page it came from"
              content:
                application/x-www-form-urlencoded:
                  schema: {type: object, required: [csrf], properties: {csrf: {type: string}}}
          parameters:
            Business:
              name: business
              in: query
              description: >
                The business to act for (admin token). Without it the admin sees every business; a route that
                needs one business (a contact, a consent) answers 400 when the install serves several. With a
                business token it may only name that business. An unknown id is 404.
              schema: {type: string}
            After:
              name: after
              in: query
              description: The `next` cursor of the previous page (a positive whole number).
              schema: {type: string, pattern: '^\+?0*[1-9][0-9]{0,17}$'}
            ConversationID:
              name: id
              in: path
              required: true
              schema: {type: string, minLength: 1, maxLength: 100}
            TwilioSignature:
              name: X-Twilio-Signature
              in: header
              required: true
              description: HMAC-SHA1 of the exact URL and the sorted form fields with the auth token (base64)
              schema: {type: string}
        security: [{bearer: []}]
        paths:
          /:
            get:
              summary: "Dashboard: overview (the funnel with its denominators, per automation and number, and a daily chart)"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters: [{name: days, in: query, schema: {type: integer, minimum: 1, maximum: 90, default: 7}}]
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "400": {$ref: "#/components/responses/PageProblem"}
          /healthz:
            get:
              summary: Liveness, and carriers paused for refusing our credentials
              security: []
              responses:
                "200":
                  description: "ok, or degraded while a carrier refuses our credentials"
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status: {type: string, enum: [ok, degraded]}
                          carriers:
                            type: object
                            additionalProperties:
                              type: object
                              properties:
                                status: {type: string, enum: [paused]}
                                reason: {type: string}
                                detail: {type: string}
                                since: {type: string, format: date-time}
                                retry_at: {type: string, format: date-time}
                                fix: {type: string}
          /openapi.yaml:
            get:
              summary: This document
              security: []
              responses:
                "200":
                  description: OpenAPI 3.1
                  content: {application/yaml: {schema: {type: string}}}
          /v1/events/call-completed:
            parameters: [{$ref: "#/components/parameters/Business"}]
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
                        required: [event_id, duplicate, runs_started]
                        properties: {event_id: {type: string}, duplicate: {type: boolean}, runs_started: {type: integer}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/twilio/voice:
            post:
              summary: Twilio voice status callback or <Dial action> callback (form-encoded, X-Twilio-Signature)
              security: []
              parameters: [{$ref: "#/components/parameters/TwilioSignature"}]
              requestBody:
                content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/TwilioForm"}}}
              responses:
                "200":
                  description: Empty TwiML
                  content: {text/xml: {schema: {type: string}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/twilio/sms:
            post:
              summary: Twilio inbound SMS (form-encoded, X-Twilio-Signature); OptOutType honoured
              security: []
              parameters: [{$ref: "#/components/parameters/TwilioSignature"}]
              requestBody:
                content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/TwilioForm"}}}
              responses:
                "200":
                  description: Empty TwiML
                  content: {text/xml: {schema: {type: string}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/twilio/status:
            post:
              summary: Twilio message status callback (form-encoded, X-Twilio-Signature over the exact URL with ?message_id=)
              security: []
              parameters:
                - {$ref: "#/components/parameters/TwilioSignature"}
                - {name: message_id, in: query, description: Our message id (set in the StatusCallback URL), schema: {type: string}}
              requestBody:
                content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/TwilioForm"}}}
              responses:
                "204": {description: Applied, or a duplicate or late receipt that changed nothing}
                "400": {$ref: "#/components/responses/BadRequest"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
          /webhooks/telnyx:
            post:
              summary: "Telnyx call.hangup, message.received, message.sent, message.finalized (Ed25519 telnyx-signature-ed25519 over {telnyx-timestamp}|{body}, 300 s window)"
              security: []
              parameters:
                - {name: telnyx-signature-ed25519, in: header, required: true, description: Base64 Ed25519 signature, schema: {type: string}}
                - {name: telnyx-timestamp, in: header, required: true, description: Unix seconds, schema: {type: string}}
                - {name: message_id, in: query, description: Our message id (set in the webhook URL of a sent text), schema: {type: string}}
              requestBody:
                content: {application/json: {schema: {type: object, description: "Telnyx's event envelope {data: {event_type, payload}}"}}}
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/BadRequest"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/bandwidth/messaging:
            post:
              summary: "Bandwidth messaging callbacks: a JSON array of message-received, message-delivered, message-failed (HTTP Basic)"
              description: Without an Authorization header the answer is 401 with a Basic challenge; wrong credentials are 403.
              security: []
              requestBody:
                content: {application/json: {schema: {type: array, items: {type: object}}}}
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/bandwidth/voice:
            post:
              summary: Bandwidth voice disconnect callback (HTTP Basic)
              description: Without an Authorization header the answer is 401 with a Basic challenge; wrong credentials are 403.
              security: []
              requestBody:
                content: {application/json: {schema: {type: object}}}
              responses:
                "204": {description: Stored or acknowledged}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /webhooks/thoughtly:
            post:
              summary: Thoughtly call webhook; token as X-Webhook-Token, a Bearer token or ?token=
              security: []
              parameters:
                - {name: X-Webhook-Token, in: header, schema: {type: string}}
                - {name: token, in: query, schema: {type: string}}
              requestBody:
                content: {application/json: {schema: {type: object}}}
              responses:
                "202":
                  description: Stored
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [event_id, duplicate]
                        properties: {event_id: {type: string}, duplicate: {type: boolean}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /v1/contacts/{phone}:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: A contact, its consent records and suppression
              parameters: [{name: phone, in: path, required: true, description: "The number as its calls stored it (E.164, or the caller id as reported)", schema: {type: string, minLength: 1}}]
              responses:
                "200":
                  description: The contact
                  content: {application/json: {schema: {$ref: "#/components/schemas/Contact"}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/contacts/{phone}/timeline:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: Calls, decisions (with reason codes and a sentence) and messages, oldest first
              parameters: [{name: phone, in: path, required: true, description: "The number as its calls stored it", schema: {type: string, minLength: 1}}]
              responses:
                "200":
                  description: The contact and its entries
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [contact, entries]
                        properties:
                          contact: {$ref: "#/components/schemas/ContactSummary"}
                          entries: {type: array, items: {$ref: "#/components/schemas/TimelineEntry"}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/businesses:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: The businesses the token may see (all for the admin, its own for a business token), with their numbers
              responses:
                "200":
                  description: The businesses, by id
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [businesses]
                        properties:
                          businesses:
                            type: array
                            items:
                              type: object
                              required: [id, name, timezone, numbers]
                              properties:
                                id: {type: string}
                                name: {type: string}
                                timezone: {type: string}
                                numbers:
                                  type: array
                                  items: {type: object, required: [number, carrier], properties: {number: {type: string}, carrier: {type: string}}}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/admin/reload:
            parameters: [{$ref: "#/components/parameters/Business"}]
            post:
              summary: Re-read the configuration, validate all of it and swap it in (admin token; SIGHUP does the same)
              responses:
                "200":
                  description: Reloaded; the businesses now served
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [reloaded, businesses]
                        properties: {reloaded: {type: boolean}, businesses: {type: array, items: {type: string}}}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403":
                  description: A business token cannot reload the configuration.
                  content:
                    application/problem+json:
                      schema: {$ref: "#/components/schemas/Problem"}
                "404": {$ref: "#/components/responses/NotFound"}
                "422":
                  description: The configuration was refused (each problem at file:line:column); the running one stays.
                  content:
                    application/problem+json:
                      schema: {$ref: "#/components/schemas/Problem"}
          /v1/messages:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: Messages, newest first, a page at a time
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
                - {$ref: "#/components/parameters/After"}
              responses:
                "200":
                  description: Messages
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [messages, next]
                        properties:
                          messages: {type: array, items: {$ref: "#/components/schemas/Message"}}
                          next: {type: [string, "null"], description: Pass as `after` for the next page; null at the end.}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/suppressions:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: The suppression list
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10000, default: 100}}
                - {name: offset, in: query, schema: {type: integer, minimum: 0, maximum: 9223372036854775807, default: 0}}
              responses:
                "200":
                  description: Entries
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [suppressions]
                        properties: {suppressions: {type: array, items: {$ref: "#/components/schemas/Suppression"}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
            post:
              summary: Add a number (201 when new, 200 when already present)
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [phone]
                      properties:
                        phone: {$ref: "#/components/schemas/PhoneNumber"}
                        reason: {$ref: "#/components/schemas/OptionalText"}
                        source: {$ref: "#/components/schemas/OptionalText"}
                        channel: {$ref: "#/components/schemas/OptionalText"}
              responses:
                "201": {$ref: "#/components/responses/SuppressionAnswer"}
                "200": {$ref: "#/components/responses/SuppressionAnswer"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "413": {$ref: "#/components/responses/TooLarge"}
            delete:
              summary: Remove a number (?phone=)
              parameters:
                - {name: phone, in: query, required: true, schema: {$ref: "#/components/schemas/PhoneNumber"}}
                - {name: channel, in: query, schema: {type: string, default: sms}}
              responses:
                "204": {description: Removed}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/suppressions/{phone}:
            parameters: [{$ref: "#/components/parameters/Business"}]
            delete:
              summary: Remove a number
              parameters:
                - {name: phone, in: path, required: true, schema: {$ref: "#/components/schemas/PhoneNumber"}}
                - {name: channel, in: query, schema: {type: string, default: sms}}
              responses:
                "204": {description: Removed}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/consents:
            parameters: [{$ref: "#/components/parameters/Business"}]
            post:
              summary: "Record consent (kind required), or revoke it with {\"revoke\": true}"
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [phone]
                      properties:
                        phone: {$ref: "#/components/schemas/PhoneNumber"}
                        kind: {type: [string, "null"], enum: [express_written, implied, none, null]}
                        scope: {allOf: [{$ref: "#/components/schemas/OptionalText"}], description: '"all" (the default) or a message type'}
                        source: {$ref: "#/components/schemas/OptionalText"}
                        revoke: {type: [boolean, "null"]}
                      anyOf:
                        - {required: [kind], properties: {kind: {type: string}}}
                        - {required: [revoke], properties: {revoke: {const: true}}}
              responses:
                "201":
                  description: Recorded
                  content: {application/json: {schema: {$ref: "#/components/schemas/Consent"}}}
                "200":
                  description: Revoked
                  content:
                    application/json:
                      schema: {type: object, required: [revoked], properties: {revoked: {type: integer, minimum: 0}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "413": {$ref: "#/components/responses/TooLarge"}
          /v1/conversations:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: Conversations, most recently active first, a page at a time
              parameters:
                - {name: state, in: query, description: Empty means any state, schema: {type: string, enum: [open, needs_human, closed, ""]}}
                - {name: phone, in: query, description: The contact's number, schema: {$ref: "#/components/schemas/PhoneNumber"}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500, default: 50}}
                - {name: after, in: query, description: The `next` cursor of the previous page, schema: {type: string, pattern: '^[+-]?[0-9]{1,18}\.[\s\S]+$'}}
              responses:
                "200":
                  description: Conversations, each with its newest message
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [conversations, next]
                        properties:
                          conversations: {type: array, items: {$ref: "#/components/schemas/Conversation"}}
                          next: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/conversations/{id}:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: "One conversation: its messages (oldest first), the contact's decisions and its callbacks"
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              responses:
                "200":
                  description: The conversation
                  content:
                    application/json:
                      schema:
                        allOf:
                          - {$ref: "#/components/schemas/Conversation"}
                          - type: object
                            required: [messages, decisions, callbacks]
                            properties:
                              messages: {type: array, items: {$ref: "#/components/schemas/Message"}}
                              decisions: {type: array, items: {$ref: "#/components/schemas/Decision"}}
                              callbacks: {type: array, items: {$ref: "#/components/schemas/Callback"}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/conversations/{id}/messages:
            parameters: [{$ref: "#/components/parameters/Business"}]
            post:
              summary: A person replies; the compliance check still applies (an opted-out contact is refused with 409)
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [body]
                      properties: {body: {allOf: [{$ref: "#/components/schemas/NonBlank"}], maxLength: 1530}}
              responses:
                "202":
                  description: Queued for the carrier
                  content:
                    application/json:
                      schema: {type: object, required: [message_id], properties: {message_id: {type: string}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "409": {$ref: "#/components/responses/Conflict"}
                "413": {$ref: "#/components/responses/TooLarge"}
          /v1/conversations/{id}/release:
            parameters: [{$ref: "#/components/parameters/Business"}]
            post:
              summary: Hand a needs_human conversation back to the agent (409 in any other state)
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              responses:
                "200":
                  description: The conversation, now open
                  content: {application/json: {schema: {$ref: "#/components/schemas/Conversation"}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "409": {$ref: "#/components/responses/Conflict"}
          /v1/callbacks:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: Callbacks the agent booked, newest first
              parameters:
                - {name: status, in: query, description: Empty means any status, schema: {type: string, enum: [requested, completed, missed, cancelled, ""]}}
                - {name: phone, in: query, schema: {$ref: "#/components/schemas/PhoneNumber"}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
              responses:
                "200":
                  description: Callbacks
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [callbacks]
                        properties: {callbacks: {type: array, items: {$ref: "#/components/schemas/Callback"}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/metrics:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: The figures over [from, to) with their numerators and denominators, whole, per automation, per number and per template
              description: >-
                Calls count by when they occurred, texts by when they were written, decisions by when they were made;
                replies, connected calls and opt-outs follow the contacts texted in the range, whenever they came.
                Every rate is {numerator, denominator, rate}; rate is null when the denominator is 0.
              parameters:
                - {name: from, in: query, description: "ISO 8601 timestamp, or a date (midnight in the business's zone); default seven days before `to`; a range whose from is not before its to is empty (every figure zero)", schema: {type: string, pattern: '^(?:[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?(?:Z|[+-](?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00))[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*|(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8]))$'}}
                - {name: to, in: query, description: "ISO 8601 timestamp or a date, exclusive; default now; a range whose from is not before its to is empty (every figure zero)", schema: {type: string, pattern: '^(?:[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?(?:Z|[+-](?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00))[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*|(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8]))$'}}
              responses:
                "200":
                  description: >-
                    {from, to, totals, by_automation: {id: funnel}, by_number: {e164: funnel}, by_template: {name: template},
                    opt_outs: {reason: count}}; a template is {texts: {written, sent, delivered}, delivery_rate, texted_contacts,
                    replies, reply_rate};
                    a funnel is {calls, missed_calls, eligible_calls, eligibility, texts: {sent, delivered, by_status},
                    delivery_rate, texted_contacts, replies, reply_rate, time_to_first_reply_s: {count, median, p90},
                    callbacks: {requested, completed}, callback_completion, callback_conversion, opt_outs, opt_out_rate,
                    suppressed_calls, suppression_rate, decisions: {action: {reason: count}}, delivery_failures: {error: count}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /metrics:
            get:
              summary: Prometheus exposition (counters, histograms, gauges); unauthenticated, like any Prometheus target
              security: []
              responses:
                "200": {description: "text/plain; version=0.0.4"}
          /v1/simulator/outbox:
            parameters: [{$ref: "#/components/parameters/Business"}]
            get:
              summary: What the simulator carrier was asked to send, oldest first, a page at a time (404 when the simulator is not in use)
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10000, default: 1000}}
                - {$ref: "#/components/parameters/After"}
              responses:
                "200":
                  description: Outbox entries
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [messages, next]
                        properties:
                          messages:
                            type: array
                            items:
                              type: object
                              required: [id, from, to, body, status, sent_at]
                              properties:
                                id: {type: string}
                                from: {type: string}
                                to: {type: string}
                                body: {type: string}
                                status: {type: string}
                                sent_at: {type: string, format: date-time}
                          next: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
          /v1/simulator/inbound:
            parameters: [{$ref: "#/components/parameters/Business"}]
            post:
              summary: Deliver a reply as a carrier would
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [from, to, body]
                      properties:
                        from: {$ref: "#/components/schemas/PhoneNumber"}
                        to: {$ref: "#/components/schemas/PhoneNumber"}
                        body: {type: string}
              responses:
                "202":
                  description: Received
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [message_id, duplicate, intent, revokes_consent]
                        properties: {message_id: {type: string}, duplicate: {type: boolean}, intent: {type: string}, revokes_consent: {type: boolean}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "503": {$ref: "#/components/responses/Busy"}
          /login:
            get:
              summary: "Dashboard: the sign-in form (sets the short-lived tb_login cookie its CSRF token is bound to)"
              security: []
              responses:
                "200": {$ref: "#/components/responses/Page"}
            post:
              summary: "Dashboard: sign in with the API token; sets the HttpOnly, SameSite=Strict session cookie tb_session"
              security: []
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, required: [token, csrf], properties: {token: {type: string}, csrf: {type: string}}}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "401": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /logout:
            post:
              summary: "Dashboard: sign out (clears the session cookie)"
              security: [{session: []}]
              requestBody: {$ref: "#/components/requestBodies/DashboardForm"}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "403": {$ref: "#/components/responses/Refused"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /conversations:
            get:
              summary: "Dashboard: conversations, the ones that need a person first"
              security: [{session: []}, {}]  # without a session: 303 to /login
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
          /conversations/{id}:
            get:
              summary: "Dashboard: one conversation, its decisions and callbacks, and a reply box"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "404": {$ref: "#/components/responses/PageProblem"}
          /conversations/{id}/reply:
            post:
              summary: "Dashboard: a person's reply, through the same path as POST /v1/conversations/{id}/messages"
              security: [{session: []}]
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, required: [body, csrf], properties: {body: {type: string, minLength: 1, maxLength: 1530}, csrf: {type: string}}}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "409": {$ref: "#/components/responses/PageProblem"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /conversations/{id}/release:
            post:
              summary: "Dashboard: hand a needs_human conversation back to the agent"
              security: [{session: []}]
              parameters: [{$ref: "#/components/parameters/ConversationID"}]
              requestBody: {$ref: "#/components/requestBodies/DashboardForm"}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "409": {$ref: "#/components/responses/PageProblem"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /contacts/{phone}:
            get:
              summary: "Dashboard: a contact's timeline with every decision's sentence"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters: [{name: phone, in: path, required: true, description: "The number as its calls stored it", schema: {type: string, minLength: 1}}]
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "404": {$ref: "#/components/responses/PageProblem"}
          /messages:
            get:
              summary: "Dashboard: messages, newest first, with delivery status and what an error means"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters: [{$ref: "#/components/parameters/After"}]
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "400": {$ref: "#/components/responses/PageProblem"}
          /automations:
            get:
              summary: "Dashboard: the configuration's automations, each with a dry-run form"
              security: [{session: []}, {}]  # without a session: 303 to /login
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
          /automations/{id}/dry-run:
            get:
              summary: "Dashboard: what one automation (a draft or paused one as if live) would have done with the recent calls; sends and writes nothing"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, minLength: 1}}
                - {name: days, in: query, schema: {type: integer, minimum: 1, maximum: 90, default: 7}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "404": {$ref: "#/components/responses/PageProblem"}
          /suppressions:
            get:
              summary: "Dashboard: the suppression list with add, remove and CSV import forms"
              security: [{session: []}, {}]  # without a session: 303 to /login
              parameters: [{name: offset, in: query, schema: {type: integer, minimum: 0, maximum: 9223372036854775807, default: 0}}]
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "400": {$ref: "#/components/responses/PageProblem"}
            post:
              summary: "Dashboard: add a number to the suppression list"
              security: [{session: []}]
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [phone, csrf]
                      properties: {phone: {$ref: "#/components/schemas/PhoneNumber"}, reason: {type: string}, csrf: {type: string}}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /suppressions/remove:
            post:
              summary: "Dashboard: remove a number from the suppression list"
              security: [{session: []}]
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [phone, csrf]
                      properties: {phone: {$ref: "#/components/schemas/PhoneNumber"}, channel: {type: string, default: sms}, csrf: {type: string}}
              responses:
                "303": {$ref: "#/components/responses/Done"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
          /suppressions/import:
            post:
              summary: "Dashboard: import a CSV (up to 32 MiB); the page is written as it runs and ends with how many rows were added, already present and invalid"
              security: [{session: []}]
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema: {type: object, required: [file, csrf], properties: {file: {type: string, contentMediaType: text/csv}, csrf: {type: string}}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/Refused"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
        """#
}

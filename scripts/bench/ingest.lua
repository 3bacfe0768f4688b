-- wrk script: POST native call events with unique call ids and contacts, as a busy call centre would.
-- Usage: wrk -t1 -c32 -d20s -s scripts/bench/ingest.lua http://127.0.0.1:8080 (TEXTBACK_API_TOKEN=bench)
-- TB_ZONE: the recipients' time zone (contact attribute), chosen by the scripts so it is daytime there.
-- TB_RUN: a prefix that keeps call ids unique across runs against the same database.
local counter = 0
local thread_id = 0
local zone = os.getenv("TB_ZONE") or "America/Los_Angeles"
local run = os.getenv("TB_RUN") or "r"
-- TB_OFFSET: where this instance's caller numbers start, so two wrk instances posting at once (two
-- servers) call from different numbers rather than each texting the same people (a frequency cap).
local offset = tonumber(os.getenv("TB_OFFSET") or "0")

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  counter = 0
end

request = function()
  counter = counter + 1
  local n = offset + id * 10000000 + counter
  local subscriber = string.format("%04d", n % 10000)
  local exchange = 200 + (math.floor(n / 10000) % 700)
  local body = string.format(
    '{"call_id":"bench-%s-%d","direction":"inbound","outcome":"no_answer","from":"+1415%03d%s","to":"+15125550100","contact":{"name":"Lead %d","attributes":{"timezone":"%s"}},"variables":{"service":"repair"}}',
    run, n, exchange, subscriber, n, zone)
  return wrk.format("POST", "/v1/events/call-completed",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer bench"}, body)
end

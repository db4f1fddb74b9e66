-- Shared by the wrk scripts: the request is a POST of the JSON body in the file $FOLIO_BENCH_BODY.
local path = os.getenv("FOLIO_BENCH_BODY")
local f = assert(io.open(path, "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

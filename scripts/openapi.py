import json
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def js(schema, desc="OK", headers=None):
    r = {"description": desc, "content": {"application/json": {"schema": schema}}}
    if headers: r["headers"] = headers
    return r
common = {"400": err("Bad request"), "401": err("Missing, expired or forged token"), "403": err("Role does not allow this"),
          "404": err("Not found"), "405": err("Method not allowed"), "429": err("Rate limited"), "503": err("Unavailable")}
def op(opid, summary, responses, params=None, body=None, tags=None, security=True):
    o = {"operationId": opid, "summary": summary, "responses": {**common, **responses}}
    if params: o["parameters"] = params
    if body: o["requestBody"] = body
    if tags: o["tags"] = tags
    if not security: o["security"] = []
    return o
def pp(name, schema=None): return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}
def qp(name, schema): return {"name": name, "in": "query", "required": False, "schema": schema}
idp = pp("id", {"type": "string", "pattern": "^[0-9a-f]{8,64}$"})
queuep = pp("queue", {"type": "string", "enum": ["pdf", "email", "notification", "ai", "oma", "scheduled"]})
state = {"type": "string", "enum": ["waiting", "delayed", "active", "completed", "failed"]}
binary = {"type": "string", "format": "binary"}
doc_ok = {"description": "The document", "headers": {"ETag": {"schema": {"type": "string"}},
          "Content-Disposition": {"schema": {"type": "string"}}},
          "content": {"application/pdf": {"schema": binary}, "image/png": {"schema": binary}, "image/svg+xml": {"schema": binary}}}
retry_after = {"Retry-After": {"schema": {"type": "integer"}}}
paths = {
 "/v1/renders": {
   "post": op("createRender", "Validate and enqueue a render; ?wait=N returns the document when ready within N s",
      {"200": doc_ok | {"description": "Ready within ?wait"}, "202": js(ref("Render"), "Accepted", {"Location": {"schema": {"type": "string"}}, **retry_after}) | {"links": {
          op_id: {"operationId": op_id, "parameters": {"id": "$response.body#/id"}}
          for op_id in ["getRender", "getRenderDocument", "headRenderDocument", "deleteRender"]}},
       "409": err("Idempotency key in use"), "413": err("Body or data too large"), "415": err("Not JSON"), "422": err("Invalid template or data (details list every problem by JSON path)")},
      params=[qp("wait", {"type": "number", "minimum": 0, "maximum": 30}),
              {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 255}}],
      body={"required": True, "content": {"application/json": {"schema": ref("RenderRequest")}}}, tags=["renders"]),
   "get": op("listRenders", "The caller's company's renders", {"200": js(ref("RenderList"))},
      params=[qp("state", state), qp("limit", {"type": "integer", "minimum": 1, "maximum": 500})], tags=["renders"])},
 "/v1/renders/{id}": {
   "get": op("getRender", "State, progress, attempts, errors, timings, links", {"200": js(ref("Render"))}, params=[idp], tags=["renders"]),
   "delete": op("deleteRender", "Cancel a running render or remove a finished or waiting one",
      {"202": js({"type": "object"}, "Cancelling"), "204": {"description": "Removed"}}, params=[idp], tags=["renders"])},
 "/v1/renders/{id}/document": {
   "get": op("getRenderDocument", "Download the document", {"200": doc_ok, "304": {"description": "Not modified"},
       "409": err("Not ready or failed"), "410": err("Expired")},
      params=[idp, qp("disposition", {"type": "string", "enum": ["inline", "attachment"]}),
              {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}], tags=["renders"]),
   "head": op("headRenderDocument", "Document headers without the bytes", {"200": {"description": "Headers"}, "304": {"description": "Not modified"},
       "409": {"description": "Not ready"}, "410": {"description": "Expired"}}, params=[idp], tags=["renders"])},
 "/v1/templates": {"get": op("listTemplates", "Templates: name, title, page size, version", {"200": js(ref("TemplateList"))}, tags=["templates"])},
 "/v1/templates/{name}": {"get": op("getTemplate", "A template's data shape and sample", {"200": js(ref("TemplateDetail"))},
      params=[pp("name")], tags=["templates"])},
 "/v1/templates/{name}/preview": {"post": op("previewTemplate", "Render the sample or the given data synchronously",
      {"200": {"description": "The rendered page or document", "content": {"image/png": {"schema": binary}, "application/pdf": {"schema": binary}, "image/svg+xml": {"schema": binary}}},
       "413": err("Too large"), "415": err("Not JSON"), "422": err("Data does not fit the template")},
      params=[pp("name"), qp("format", {"type": "string", "enum": ["png", "pdf", "svg"]}), qp("page", {"type": "integer", "minimum": 1, "maximum": 500})],
      body={"required": False, "content": {"application/json": {"schema": {"type": "object"}}}}, tags=["templates"])},
 "/api/queue/stats": {"get": op("queueStats", "Counts per state per queue (company admins: their company)", {"200": js({"type": "object", "required": ["queues"], "properties": {"queues": {"type": "array"}}})}, tags=["operators"])},
 "/api/queue/health": {"get": op("queueHealth", "Redis reachability, latency, workers, depth, degraded or not", {"200": js({"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]}}})}, tags=["operators"])},
 "/api/queue/info": {"get": op("queueInfo", "Versions, configuration, queues, workers", {"200": js({"type": "object", "required": ["version", "queues"]})}, tags=["operators"])},
 "/api/queue/{queue}/jobs": {"get": op("queueJobs", "Jobs by state", {"200": js({"type": "object", "required": ["items"]})},
      params=[queuep, qp("state", state), qp("limit", {"type": "integer", "minimum": 1, "maximum": 500})], tags=["operators"])},
 "/api/queue/{queue}/jobs/{id}/retry": {"post": op("retryJob", "Retry a failed job", {"200": js({"type": "object"}), "409": err("Not failed")}, params=[queuep, idp], tags=["operators"])},
 "/api/queue/{queue}/jobs/{id}/cancel": {"post": op("cancelJob", "Cancel a waiting, delayed or active job", {"200": js({"type": "object"}), "409": err("Already finished")}, params=[queuep, idp], tags=["operators"])},
 "/api/queue/{queue}/pause": {"post": op("pauseQueue", "Pause a queue (admins)", {"200": js({"type": "object"})}, params=[queuep], tags=["operators"])},
 "/api/queue/{queue}/resume": {"post": op("resumeQueue", "Resume a queue (admins)", {"200": js({"type": "object"})}, params=[queuep], tags=["operators"])},
 "/api/queue/{queue}/clean": {"post": op("cleanQueue", "Delete finished jobs older than olderThan seconds (admins)", {"200": js({"type": "object", "required": ["removed"]})},
      params=[queuep, qp("state", {"type": "string", "enum": ["completed", "failed"]}), qp("olderThan", {"type": "integer", "minimum": 0, "maximum": 31536000}),
              qp("keep", {"type": "integer", "minimum": 0, "maximum": 1000000})], tags=["operators"])},
 "/healthz": {"get": op("healthz", "Liveness", {"200": js({"type": "object", "required": ["status"]})}, tags=["health"], security=False)},
 "/readyz": {"get": op("readyz", "Readiness (degraded while Redis is away)", {"200": js({"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ready", "degraded"]}}})}, tags=["health"], security=False)},
 "/metrics": {"get": op("metrics", "Prometheus metrics (admins)", {"200": {"description": "Prometheus text", "content": {"text/plain": {"schema": {"type": "string"}}}}}, tags=["health"])},
 "/openapi.json": {"get": op("openapi", "This document", {"200": js({"type": "object"})}, tags=["health"], security=False)},
}
nullable_str = {"type": ["string", "null"]}
schemas = {
 "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message", "details"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}}},
 "RenderRequest": {"type": "object", "required": ["template"], "properties": {
    "template": {"type": "string", "description": "Template name"}, "data": {"type": "object"},
    "format": {"type": "string", "enum": ["pdf", "png", "svg"]},
    "options": {"type": "object", "properties": {"filename": {"type": "string"}, "dpi": {"type": "number"}, "page": {"type": "integer"}, "locale": {"type": "string"}}},
    "priority": {"type": "string", "enum": ["urgent", "high", "normal", "low"]},
    "webhook": {"oneOf": [{"type": "string", "format": "uri"}, {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}]}}},
 "Render": {"type": "object", "required": ["id", "status", "progress", "attempts", "maxAttempts", "errors", "timings", "links"], "properties": {
    "id": {"type": "string"}, "status": state, "template": {"type": "string"}, "format": {"type": "string"}, "priority": {"type": "string"},
    "progress": {"type": "object", "properties": {"percent": {"type": "integer"}, "stage": {"type": "string"}}},
    "attempts": {"type": "integer"}, "maxAttempts": {"type": "integer"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {"attempt": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}, "at": {"type": "string"}}}},
    "timings": {"type": "object"}, "result": {"type": "object", "properties": {"pages": {"type": "integer"}, "bytes": {"type": "integer"},
        "contentType": {"type": "string"}, "filename": {"type": "string"}, "etag": {"type": "string"}}},
    "engine": {"type": "string"}, "links": {"type": "object", "required": ["self"], "properties": {"self": {"type": "string"}, "document": {"type": "string"}}}}},
 "RenderList": {"type": "object", "required": ["items", "count"], "properties": {"items": {"type": "array", "items": ref("Render")}, "count": {"type": "integer"}}},
 "TemplateSummary": {"type": "object", "required": ["name", "title", "pageSize", "version"], "properties": {
    "name": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "pageSize": {"type": "string"}, "version": {"type": "string"}}},
 "TemplateList": {"type": "object", "required": ["items", "count"], "properties": {"items": {"type": "array", "items": ref("TemplateSummary")}, "count": {"type": "integer"}}},
 "TemplateDetail": {"allOf": [ref("TemplateSummary"), {"type": "object", "properties": {"dataShape": nullable_str, "sample": {}, "links": {"type": "object"}}}]},
}
doc = {"openapi": "3.1.0", "info": {"title": "Folio", "version": "0.1.0", "description": "Document rendering service: templates + JSON data → PDF, PNG, SVG."},
       "servers": [{"url": "/"}], "security": [{"bearer": []}],
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}, "schemas": schemas},
       "paths": paths}
text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
import os
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources/FolioServer/OpenAPI/openapi.json"), "w").write(text)

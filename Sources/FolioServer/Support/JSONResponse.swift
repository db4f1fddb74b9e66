import FolioRender
import FolioWorkers
import HTTPTypes
import Hummingbird

/// Responses with a JSON body built from `Value` (the one JSON model the project has, keys kept in order).
enum JSONResponse {
    static func make(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.jsonBytes())))
    }
}

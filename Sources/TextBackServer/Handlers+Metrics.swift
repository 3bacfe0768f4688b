// GET /v1/metrics: the figures over [from, to) with their denominators (FiguresReport.swift shapes them).

import Foundation
import Hummingbird
import NIOCore
import TextBackCore
import TextBackStorage

extension Handlers {
    func figures(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let access = try access(request, context)
        // Days are the business's days; over every business, the first business's zone.
        let engine = access.scope.only.flatMap(access.tenants.engine(for:)) ?? access.tenants.primary
        let zone = TimeZone(identifier: engine.configuration.business.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        let range: (Date, Date)
        do {
            range = try FiguresReport.range(from: query["from"].map(String.init), to: query["to"].map(String.init),
                                            now: engine.clock.now(), timeZone: zone)
        } catch {
            throw APIProblem.badRequest("query parameter \(error)", field: error.parameter)
        }
        let figures = try await store.figures(from: range.0, to: range.1, scope: access.scope)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: FiguresReport.json(figures).serialized)))
    }
}

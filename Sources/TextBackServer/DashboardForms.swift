// The bodies the dashboard's forms post: application/x-www-form-urlencoded, and multipart/form-data
// for the CSV upload (RFC 7578: parts separated by `--boundary`, each with a Content-Disposition
// naming its field). Anything else is refused with 415 naming what is accepted.

import Foundation
import Hummingbird
import TextBackProviders

struct DashboardForm: Sendable {
    /// Text fields by name (the last value wins).
    var fields: [String: String] = [:]
    /// Uploaded files by field name.
    var files: [String: Data] = [:]

    subscript(_ name: String) -> String? { fields[name] }

    /// A required text field, trimmed; a missing or blank one is a 400 naming the field.
    func required(_ name: String, label: String) throws -> String {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw DashboardProblem(.badRequest, "\(label) is empty: fill it in and try again.")
        }
        return value
    }

    static func read(_ request: Request, limit: Int) async throws -> DashboardForm {
        let contentType = request.headers[.contentType] ?? ""
        let body = try await request.body.collect(upTo: limit)
        let bytes = Array(buffer: body)
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            return DashboardForm(fields: FormEncoding.dictionary(String(decoding: bytes, as: UTF8.self)))
        }
        if contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = boundary(contentType) {
            return try multipart(bytes, boundary: boundary)
        }
        throw DashboardProblem(.unsupportedMediaType, "The form must be posted as application/x-www-form-urlencoded or multipart/form-data.")
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    static func multipart(_ bytes: [UInt8], boundary: String) throws -> DashboardForm {
        let delimiter = Array("--\(boundary)".utf8)
        let malformed = DashboardProblem(.badRequest, "The uploaded form could not be read (malformed multipart body).")
        var form = DashboardForm()
        guard var cursor = bytes.firstRange(of: delimiter)?.upperBound else { throw malformed }
        while true {
            // After a delimiter: "--" ends the body, otherwise CRLF and a part.
            if bytes[cursor...].starts(with: Array("--".utf8)) { return form }
            guard bytes[cursor...].starts(with: [13, 10]) else { throw malformed }
            let partStart = cursor + 2
            guard let next = bytes[partStart...].firstRange(of: [13, 10] + delimiter),
                  let headerEnd = bytes[partStart..<next.lowerBound].firstRange(of: [13, 10, 13, 10]) else { throw malformed }
            let headers = String(decoding: bytes[partStart..<headerEnd.lowerBound], as: UTF8.self)
            let content = Data(bytes[headerEnd.upperBound..<next.lowerBound])
            if let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
               let name = parameter("name", in: disposition) {
                if parameter("filename", in: disposition) != nil { form.files[name] = content }
                else { form.fields[name] = String(decoding: content, as: UTF8.self) }
            }
            cursor = next.upperBound
        }
    }

    /// `name="value"` from a Content-Disposition header line.
    static func parameter(_ key: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            return parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
